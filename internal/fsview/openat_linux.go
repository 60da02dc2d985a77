//go:build linux

package fsview

import (
	"errors"
	"fmt"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// openNoFollow opens p (absolute, clean) below root one component at a
// time with O_PATH|O_NOFOLLOW and refuses any symlink on the way (ELOOP),
// magic links included: a link planted by sandboxed code in a work dir
// cannot redirect a mount (runc's 2025 mount CVEs, firejail
// CVE-2017-5180). It returns an O_PATH fd.
func openNoFollow(root, p string) (int, error) {
	fd, err := unix.Open(root, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1, err
	}
	for _, name := range splitPath(p) {
		if name == ".." {
			unix.Close(fd)
			return -1, fmt.Errorf("%q contains \"..\": %w", p, unix.EINVAL)
		}
		next, err := openComponent(fd, name)
		unix.Close(fd)
		if err != nil {
			return -1, err
		}
		fd = next
	}
	return fd, nil
}

func openComponent(dir int, name string) (int, error) {
	fd, err := unix.Openat(dir, name, unix.O_PATH|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1, err
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return -1, err
	}
	if st.Mode&unix.S_IFMT == unix.S_IFLNK {
		unix.Close(fd)
		return -1, fmt.Errorf("%s is a symlink: %w", name, unix.ELOOP)
	}
	return fd, nil
}

// parent opens (creating as needed) the directory that will hold sandbox
// path p and returns it with p's last component. Every directory on the
// way is opened without following symlinks and must lie on one of the
// view's own tmpfs mounts: a target is never created inside a bound host
// directory.
func (s *stage) parent(p string) (int, string, error) {
	fd, err := unix.Dup(s.root)
	if err != nil {
		return -1, "", err
	}
	for _, name := range splitPath(filepath.Dir(p)) {
		next, err := s.openOrMkdir(fd, name)
		unix.Close(fd)
		if err != nil {
			return -1, "", err
		}
		fd = next
	}
	return fd, filepath.Base(p), nil
}

func (s *stage) openOrMkdir(dir int, name string) (int, error) {
	err := unix.Mkdirat(dir, name, 0o755)
	if err != nil && !errors.Is(err, unix.EEXIST) {
		return -1, err
	}
	if err == nil {
		if err := unix.Fchmodat(dir, name, 0o755, 0); err != nil {
			return -1, err
		}
	}
	return s.openDir(dir, name)
}

// openDir opens dir/name as an O_PATH directory that must be on the
// view's own tmpfs.
func (s *stage) openDir(dir int, name string) (int, error) {
	fd, err := unix.Openat(dir, name, unix.O_PATH|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1, err
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return -1, err
	}
	if !s.devs[st.Dev] {
		unix.Close(fd)
		return -1, fmt.Errorf("%s is not on the view's own tmpfs (a bound host directory?): %w", name, unix.EXDEV)
	}
	return fd, nil
}

// mountpoint creates a fresh directory or empty file at sandbox path p to
// mount on, and returns an fd for it. An existing entry is refused: it
// would mean two steps share a target.
func (s *stage) mountpoint(p string, dir bool) (int, error) {
	parent, name, err := s.parent(p)
	if err != nil {
		return -1, err
	}
	defer unix.Close(parent)
	if dir {
		if err := unix.Mkdirat(parent, name, 0o755); err != nil {
			return -1, err
		}
		return s.openDir(parent, name)
	}
	return unix.Openat(parent, name, unix.O_CREAT|unix.O_EXCL|unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o644)
}
