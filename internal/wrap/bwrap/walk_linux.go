package bwrap

import (
	"strings"

	"golang.org/x/sys/unix"
)

// walkNoFollow is openNoFollow for kernels without openat2 (before 5.6):
// it opens path one component at a time with O_NOFOLLOW, and refuses a
// final component that is a symlink (O_PATH|O_NOFOLLOW would open the
// link itself).
func walkNoFollow(path string) (int, error) {
	fd, err := unix.Open("/", unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1, err
	}
	for _, name := range strings.Split(strings.Trim(path, "/"), "/") {
		if name == "" {
			continue
		}
		next, err := unix.Openat(fd, name, unix.O_PATH|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
		unix.Close(fd)
		if err != nil {
			return -1, err
		}
		fd = next
		if err := refuseSymlink(fd); err != nil {
			unix.Close(fd)
			return -1, err
		}
	}
	return fd, nil
}

func refuseSymlink(fd int) error {
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return err
	}
	if st.Mode&unix.S_IFMT == unix.S_IFLNK {
		return unix.ELOOP
	}
	return nil
}
