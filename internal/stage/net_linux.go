package stage

import (
	"golang.org/x/sys/unix"
)

// loopbackUp brings "lo" up in our fresh network namespace, so that the
// payload's own loopback works while nothing else is reachable.
func loopbackUp() error {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return Errorf("loopback up", "", "socket: %w", err)
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq("lo")
	if err != nil {
		return Errorf("loopback up", "", "%w", err)
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr); err != nil {
		return Errorf("loopback up", "", "SIOCGIFFLAGS: %w", err)
	}
	ifr.SetUint16(ifr.Uint16() | unix.IFF_UP)
	if err := unix.IoctlIfreq(fd, unix.SIOCSIFFLAGS, ifr); err != nil {
		return Errorf("loopback up", "", "SIOCSIFFLAGS: %w", err)
	}
	return nil
}
