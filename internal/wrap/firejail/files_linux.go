package firejail

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// OpenFiles makes the descriptors c refers to: a sealed memfd per
// payload, positioned at its start. Pass the result as
// exec.Cmd.ExtraFiles and close the files once firejail has started.
func (c Command) OpenFiles() ([]*os.File, error) {
	files := make([]*os.File, 0, len(c.ExtraFiles))
	for _, p := range c.ExtraFiles {
		f, err := sealedMemfd("procjail-firejail-"+p.Name, p.Data)
		if err != nil {
			CloseFiles(files)
			return nil, fmt.Errorf("firejail: the descriptor for the %s: %w", p.Name, err)
		}
		files = append(files, f)
	}
	return files, nil
}

// CloseFiles closes files made by OpenFiles.
func CloseFiles(files []*os.File) {
	for _, f := range files {
		f.Close()
	}
}

func sealedMemfd(name string, data []byte) (*os.File, error) {
	fd, err := unix.MemfdCreate(name, unix.MFD_CLOEXEC|unix.MFD_ALLOW_SEALING)
	if err != nil {
		return nil, fmt.Errorf("memfd_create: %w", err)
	}
	f := os.NewFile(uintptr(fd), name)
	if _, err := f.Write(data); err != nil {
		f.Close()
		return nil, err
	}
	seals := unix.F_SEAL_SEAL | unix.F_SEAL_SHRINK | unix.F_SEAL_GROW | unix.F_SEAL_WRITE
	if _, err := unix.FcntlInt(f.Fd(), unix.F_ADD_SEALS, seals); err != nil {
		f.Close()
		return nil, fmt.Errorf("sealing the memfd: %w", err)
	}
	if _, err := f.Seek(0, 0); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
