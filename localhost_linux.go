package procjail

import "github.com/procjail/procjail/internal/netfwd"

func localhostUsage(stats []netfwd.PortStats) *LocalhostUsage {
	t := netfwd.Total(stats)
	u := &LocalhostUsage{Connections: t.Connections, Refused: t.Refused, DialFailures: t.DialFailures,
		BytesIn: t.BytesIn, BytesOut: t.BytesOut}
	for _, s := range stats {
		u.Ports = append(u.Ports, LocalhostPort{Port: s.Port, Proto: s.Proto, Connections: s.Connections,
			Refused: s.Refused, DialFailures: s.DialFailures, BytesIn: s.BytesIn, BytesOut: s.BytesOut})
	}
	return u
}
