package sealfd

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// New returns a close-on-exec memfd holding data, sealed, positioned at
// its start. exec asks for an executable memfd (MFD_EXEC where the
// kernel knows it).
func New(name string, data []byte, exec bool) (*os.File, error) {
	fd, err := create(name, exec)
	if err != nil {
		return nil, fmt.Errorf("memfd_create: %w", err)
	}
	f := os.NewFile(uintptr(fd), name)
	if _, err := f.Write(data); err != nil {
		f.Close()
		return nil, fmt.Errorf("write memfd: %w", err)
	}
	seals := unix.F_SEAL_SEAL | unix.F_SEAL_SHRINK | unix.F_SEAL_GROW | unix.F_SEAL_WRITE
	if _, err := unix.FcntlInt(f.Fd(), unix.F_ADD_SEALS, seals); err != nil {
		f.Close()
		return nil, fmt.Errorf("seal memfd: %w", err)
	}
	if _, err := f.Seek(0, 0); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

func create(name string, exec bool) (int, error) {
	flags := unix.MFD_CLOEXEC | unix.MFD_ALLOW_SEALING
	if !exec {
		return unix.MemfdCreate(name, flags)
	}
	fd, err := unix.MemfdCreate(name, flags|unix.MFD_EXEC)
	if err == unix.EINVAL { // kernels before 6.3 do not know MFD_EXEC
		fd, err = unix.MemfdCreate(name, flags)
	}
	return fd, err
}
