package netfwd

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// listenBacklog is the accept queue of each listening socket.
const listenBacklog = 128

// Listen binds TCP listening sockets on 127.0.0.1:PORT and [::1]:PORT for
// each port. It is [ListenWith] with no options.
func Listen(ports []uint16) ([]*os.File, error) {
	return ListenWith(ports, ListenOptions{})
}

// ListenWith binds, in the calling thread's network namespace (the
// sandbox's), a socket on 127.0.0.1:PORT and one on [::1]:PORT for each
// port, TCP and, with opts.UDP, UDP. "lo" must be up. When the namespace
// has no IPv6 (or no ::1), the IPv6 sockets are left out: [Describe] the
// files to report it. The files are close-on-exec; the caller sends them
// with [SendFDs] and then closes its copies. On error, no file is left open.
func ListenWith(ports []uint16, opts ListenOptions) ([]*os.File, error) {
	if err := ValidatePorts(ports); err != nil {
		return nil, err
	}
	var files []*os.File
	for _, p := range ports {
		for _, ep := range endpointsFor(p, opts) {
			f, err := listenOne(ep)
			if err != nil && !(ep.ipv6() && ipv6Absent(err)) {
				closeFiles(files)
				return nil, err
			}
			if f != nil {
				files = append(files, f)
			}
		}
	}
	return files, nil
}

// endpointsFor lists the sockets to bind for one port, in a fixed order.
func endpointsFor(port uint16, opts ListenOptions) []Endpoint {
	eps := []Endpoint{{"tcp4", port}, {"tcp6", port}}
	if opts.UDP {
		eps = append(eps, Endpoint{"udp4", port}, Endpoint{"udp6", port})
	}
	return eps
}

// ipv6Absent reports whether err means the namespace has no IPv6 loopback.
func ipv6Absent(err error) bool {
	return errors.Is(err, unix.EAFNOSUPPORT) || errors.Is(err, unix.EADDRNOTAVAIL)
}

// listenOne creates, binds and (for TCP) listens one socket. It sets
// neither SO_REUSEADDR nor SO_REUSEPORT: nothing else in the namespace may
// bind the same address while it exists.
func listenOne(ep Endpoint) (*os.File, error) {
	family, sotype, sa := ep.sockaddr()
	fd, err := unix.Socket(family, sotype|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("netfwd: socket for %s: %w", ep, err)
	}
	if err := bindListen(fd, ep, sa); err != nil {
		unix.Close(fd)
		return nil, err
	}
	return os.NewFile(uintptr(fd), "netfwd-listen-"+ep.String()), nil
}

func bindListen(fd int, ep Endpoint, sa unix.Sockaddr) error {
	if ep.ipv6() {
		if err := unix.SetsockoptInt(fd, unix.IPPROTO_IPV6, unix.IPV6_V6ONLY, 1); err != nil {
			return fmt.Errorf("netfwd: IPV6_V6ONLY on %s: %w", ep, err)
		}
	}
	if err := unix.Bind(fd, sa); err != nil {
		return fmt.Errorf("netfwd: bind %s: %w%s", ep, err, bindHint(err))
	}
	if ep.tcp() {
		if err := unix.Listen(fd, listenBacklog); err != nil {
			return fmt.Errorf("netfwd: listen %s: %w", ep, err)
		}
	}
	return nil
}

func bindHint(err error) string {
	switch {
	case errors.Is(err, unix.EADDRNOTAVAIL):
		return ` (bring "lo" up in the sandbox's network namespace first)`
	case errors.Is(err, unix.EADDRINUSE):
		return " (something in the sandbox's network namespace already uses that port: bind before the payload starts)"
	}
	return ""
}

func (ep Endpoint) sockaddr() (family, sotype int, sa unix.Sockaddr) {
	sotype = unix.SOCK_DGRAM
	if ep.tcp() {
		sotype = unix.SOCK_STREAM
	}
	if ep.ipv6() {
		return unix.AF_INET6, sotype, &unix.SockaddrInet6{Port: int(ep.Port), Addr: [16]byte{15: 1}}
	}
	return unix.AF_INET, sotype, &unix.SockaddrInet4{Port: int(ep.Port), Addr: [4]byte{127, 0, 0, 1}}
}
