package cgroup

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/sys/unix"
)

// kernelFS is fsys on the real cgroupfs.
type kernelFS struct{}

func (kernelFS) mkdir(p string) error { return pathErr("mkdir", p, unix.Mkdir(p, 0o755)) }

func (kernelFS) rmdir(p string) error { return pathErr("rmdir", p, unix.Rmdir(p)) }

// write writes value in one write(2), as cgroupfs wants; it never creates
// a file.
func (kernelFS) write(p, value string) error {
	fd, err := unix.Open(p, unix.O_WRONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return pathErr("open", p, err)
	}
	defer unix.Close(fd)
	n, err := unix.Write(fd, []byte(value))
	if err == nil && n != len(value) {
		err = unix.EIO
	}
	return pathErr("write "+value+" to", p, err)
}

// writable asks the kernel whether this process's effective ids may
// write p (EROFS and missing files count as no).
func (kernelFS) writable(p string) bool {
	return unix.Faccessat(unix.AT_FDCWD, p, unix.W_OK, unix.AT_EACCESS) == nil
}

func pathErr(op, p string, err error) error {
	if err == nil {
		return nil
	}
	return &fs.PathError{Op: op, Path: p, Err: err}
}

// mkdirExisting makes a directory that may already exist.
func mkdirExisting(f fsys, p string) error {
	if err := f.mkdir(p); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return nil
}

// removeWait bounds how long Remove retries a busy group.
const removeWait = 2 * time.Second

// removeTree removes a group and any group below it, retrying briefly
// while the kernel still counts exiting tasks (EBUSY).
func removeTree(f fsys, dir string, deadline time.Time) error {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	for _, e := range ents {
		if e.IsDir() {
			if err := removeTree(f, filepath.Join(dir, e.Name()), deadline); err != nil {
				return err
			}
		}
	}
	return rmdirRetry(f, dir, deadline)
}

func rmdirRetry(f fsys, dir string, deadline time.Time) error {
	delay := time.Millisecond
	for {
		err := f.rmdir(dir)
		if err == nil || errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if !errors.Is(err, unix.EBUSY) || time.Now().After(deadline) {
			return err
		}
		time.Sleep(delay)
		delay = min(2*delay, 50*time.Millisecond)
	}
}

// readValue reads a single-value file such as pids.max.
func readValue(p string) (uint64, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return 0, err
	}
	return parseValue(string(b))
}

// readKeyed reads a flat keyed file such as cpu.stat.
func readKeyed(p string) (map[string]uint64, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	return parseKeyed(b), nil
}
