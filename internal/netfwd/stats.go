package netfwd

import "sync/atomic"

// PortStats counts what one forwarded socket did.
type PortStats struct {
	Port uint16
	// Proto is the listener's network: "tcp4", "tcp6", "udp4" or "udp6".
	Proto string
	// Connections counts relayed TCP connections or UDP sessions
	// (including those whose dial to the host failed).
	Connections uint64
	// Refused counts connections (or UDP datagrams from new sources)
	// dropped because MaxConns relays were already open.
	Refused uint64
	// DialFailures counts relays whose dial to the host failed: nothing
	// listens there, or the dial timed out.
	DialFailures uint64
	// BytesIn is what the sandbox sent to the host; BytesOut what the host
	// sent to the sandbox.
	BytesIn, BytesOut uint64
}

// counters are one port's live counts.
type counters struct {
	conns, refused, dialFailures, in, out atomic.Uint64
}

func (c *counters) snapshot(ep Endpoint) PortStats {
	return PortStats{
		Port: ep.Port, Proto: ep.Network,
		Connections: c.conns.Load(), Refused: c.refused.Load(), DialFailures: c.dialFailures.Load(),
		BytesIn: c.in.Load(), BytesOut: c.out.Load(),
	}
}

// Total adds up stats over all ports (Port and Proto are left empty).
func Total(stats []PortStats) PortStats {
	var t PortStats
	for _, s := range stats {
		t.Connections += s.Connections
		t.Refused += s.Refused
		t.DialFailures += s.DialFailures
		t.BytesIn += s.BytesIn
		t.BytesOut += s.BytesOut
	}
	return t
}
