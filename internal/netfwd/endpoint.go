package netfwd

import (
	"net/netip"
	"strconv"
	"strings"
)

// ListenOptions are the options of [ListenWith]. The zero value binds TCP
// only.
type ListenOptions struct {
	// UDP also binds UDP sockets on every address and port.
	UDP bool
}

// Endpoint is one forwarded socket: a network ("tcp4", "tcp6", "udp4" or
// "udp6") and a port, on 127.0.0.1 or [::1].
type Endpoint struct {
	Network string
	Port    uint16
}

func (ep Endpoint) ipv6() bool { return strings.HasSuffix(ep.Network, "6") }
func (ep Endpoint) tcp() bool  { return strings.HasPrefix(ep.Network, "tcp") }

// Addr is the loopback address and port of the endpoint.
func (ep Endpoint) Addr() netip.AddrPort {
	if ep.ipv6() {
		return netip.AddrPortFrom(netip.IPv6Loopback(), ep.Port)
	}
	return netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), ep.Port)
}

// String is "tcp4 127.0.0.1:8080" or "tcp6 [::1]:8080".
func (ep Endpoint) String() string {
	return ep.Network + " " + ep.Addr().String()
}

// IPv4Only reports whether eps has IPv4 endpoints but no IPv6 one: the
// sandbox's namespace had no ::1, and its [::1]:PORT is not forwarded.
func IPv4Only(eps []Endpoint) bool {
	v4, v6 := false, false
	for _, ep := range eps {
		v6 = v6 || ep.ipv6()
		v4 = v4 || !ep.ipv6()
	}
	return v4 && !v6
}

// Ports lists the endpoints as "tcp4:8080,tcp6:8080", for reports.
func Ports(eps []Endpoint) string {
	parts := make([]string, len(eps))
	for i, ep := range eps {
		parts[i] = ep.Network + ":" + strconv.Itoa(int(ep.Port))
	}
	return strings.Join(parts, ",")
}
