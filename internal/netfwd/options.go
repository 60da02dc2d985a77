package netfwd

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"time"
)

// Defaults for the zero values of [Options].
const (
	DefaultMaxConns    = 64
	DefaultDialTimeout = 5 * time.Second
	// DefaultUDPIdle ends a UDP session after that long without a datagram
	// either way, when Options.IdleTimeout is zero.
	DefaultUDPIdle = 30 * time.Second
)

// DialFunc dials network ("tcp4", "tcp6", "udp4" or "udp6") address.
type DialFunc func(ctx context.Context, network, address string) (net.Conn, error)

// Options tune a [Forwarder]. The zero value is ready to use.
type Options struct {
	// MaxConns bounds the relayed TCP connections and UDP sessions open at
	// once, over all ports. Connections beyond it are closed as soon as
	// they are accepted and counted as Refused. Zero means DefaultMaxConns.
	MaxConns int
	// DialTimeout bounds each dial to the host. Zero means
	// DefaultDialTimeout.
	DialTimeout time.Duration
	// IdleTimeout closes a TCP connection after that long without a byte
	// in either direction, and ends a UDP session likewise. Zero means no
	// idle limit for TCP (connections end with their peers or on Close)
	// and DefaultUDPIdle for UDP.
	IdleTimeout time.Duration
	// DialTestOnly replaces the dialer, for tests. It is called with the
	// host loopback address of the listener's port, and may dial anything
	// else: never set it outside tests. Nil means a net.Dialer that refuses
	// every address but 127.0.0.1 and ::1.
	DialTestOnly DialFunc
}

func (o Options) withDefaults() Options {
	if o.MaxConns <= 0 {
		o.MaxConns = DefaultMaxConns
	}
	if o.DialTimeout <= 0 {
		o.DialTimeout = DefaultDialTimeout
	}
	if o.DialTestOnly == nil {
		o.DialTestOnly = dialLoopback
	}
	return o
}

func (o Options) udpIdle() time.Duration {
	if o.IdleTimeout > 0 {
		return o.IdleTimeout
	}
	return DefaultUDPIdle
}

// dialLoopback dials address only if it is the host's 127.0.0.1 or ::1.
func dialLoopback(ctx context.Context, network, address string) (net.Conn, error) {
	ap, err := netip.ParseAddrPort(address)
	if err != nil || !isLoopbackHost(ap.Addr()) {
		return nil, fmt.Errorf("netfwd: refusing to dial %q: only 127.0.0.1 and ::1 are dialled", address)
	}
	var d net.Dialer
	return d.DialContext(ctx, network, address)
}

func isLoopbackHost(a netip.Addr) bool {
	return a == netip.AddrFrom4([4]byte{127, 0, 0, 1}) || a == netip.IPv6Loopback()
}
