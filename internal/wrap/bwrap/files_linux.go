package bwrap

import (
	"errors"
	"fmt"
	"github.com/procjail/procjail/internal/sealfd"
	"os"

	"golang.org/x/sys/unix"
)

// OpenFiles opens the descriptors c refers to, in order: a sealed memfd
// holding each Data payload, and an O_PATH descriptor for each Path
// payload, opened without following any symlink (a symlink anywhere in the
// path is an error). Pass the result as exec.Cmd.ExtraFiles, and close the
// files once bwrap has started.
func (c Command) OpenFiles() ([]*os.File, error) {
	files := make([]*os.File, 0, len(c.ExtraFiles))
	for _, p := range c.ExtraFiles {
		f, err := p.open()
		if err != nil {
			CloseFiles(files)
			return nil, fmt.Errorf("bwrap: opening the descriptor for %s: %w", p.Name, err)
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

func (p Payload) open() (*os.File, error) {
	if p.Path != "" {
		return openNoFollow(p.Path)
	}
	return sealedMemfd("procjail-bwrap-"+p.Name, p.Data)
}

// sealedMemfd returns a sealed memfd holding data (see sealfd).
func sealedMemfd(name string, data []byte) (*os.File, error) {
	return sealfd.New(name, data, false)
}

// openNoFollow opens path with O_PATH, refusing a symlink in any
// component (the last included), so that a link planted by sandboxed code
// cannot redirect a bind.
func openNoFollow(path string) (*os.File, error) {
	how := unix.OpenHow{Flags: unix.O_PATH | unix.O_CLOEXEC, Resolve: unix.RESOLVE_NO_SYMLINKS | unix.RESOLVE_NO_MAGICLINKS}
	fd, err := unix.Openat2(unix.AT_FDCWD, path, &how)
	if errors.Is(err, unix.ENOSYS) {
		fd, err = walkNoFollow(path)
	}
	if errors.Is(err, unix.ELOOP) {
		return nil, fmt.Errorf("%s: a component is a symlink, which is never followed (pass the resolved path of a location you trust): %w", path, err)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return os.NewFile(uintptr(fd), path), nil
}
