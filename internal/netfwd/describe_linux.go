package netfwd

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// Describe tells which endpoint a socket from [Listen] is bound to. It
// fails for anything but a TCP or UDP socket bound to 127.0.0.1 or ::1.
func Describe(f *os.File) (Endpoint, error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return Endpoint{}, fmt.Errorf("netfwd: describe %s: %w", f.Name(), err)
	}
	var ep Endpoint
	var derr error
	if err := rc.Control(func(fd uintptr) { ep, derr = describeFD(int(fd)) }); err != nil {
		return Endpoint{}, fmt.Errorf("netfwd: describe %s: %w", f.Name(), err)
	}
	if derr != nil {
		return Endpoint{}, fmt.Errorf("netfwd: describe %s: %w", f.Name(), derr)
	}
	return ep, nil
}

func describeFD(fd int) (Endpoint, error) {
	typ, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_TYPE)
	if err != nil {
		return Endpoint{}, fmt.Errorf("not a socket: %w", err)
	}
	proto := map[int]string{unix.SOCK_STREAM: "tcp", unix.SOCK_DGRAM: "udp"}[typ]
	sa, err := unix.Getsockname(fd)
	if err != nil {
		return Endpoint{}, fmt.Errorf("getsockname: %w", err)
	}
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		if proto != "" && a.Addr == [4]byte{127, 0, 0, 1} {
			return Endpoint{proto + "4", uint16(a.Port)}, nil
		}
	case *unix.SockaddrInet6:
		if proto != "" && a.Addr == [16]byte{15: 1} {
			return Endpoint{proto + "6", uint16(a.Port)}, nil
		}
	}
	return Endpoint{}, fmt.Errorf("not a TCP or UDP socket bound to 127.0.0.1 or ::1 (socket type %d, address %T)", typ, sa)
}

// DescribeAll describes every file, as [Describe].
func DescribeAll(files []*os.File) ([]Endpoint, error) {
	eps := make([]Endpoint, len(files))
	for i, f := range files {
		ep, err := Describe(f)
		if err != nil {
			return nil, err
		}
		eps[i] = ep
	}
	return eps, nil
}
