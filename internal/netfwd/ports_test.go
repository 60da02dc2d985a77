package netfwd

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestValidatePorts(t *testing.T) {
	many := make([]uint16, MaxPorts+1)
	for i := range many {
		many[i] = uint16(1000 + i)
	}
	tests := []struct {
		name  string
		ports []uint16
		ok    bool
		is    error
	}{
		{"empty", nil, false, ErrNoPorts},
		{"one", []uint16{8080}, true, nil},
		{"several", []uint16{80, 443, 5432}, true, nil},
		{"max", many[:MaxPorts], true, nil},
		{"too many", many, false, nil},
		{"zero", []uint16{80, 0}, false, nil},
		{"duplicate", []uint16{80, 443, 80}, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidatePorts(tt.ports)
			if (err == nil) != tt.ok {
				t.Fatalf("ValidatePorts(%v) = %v, want ok=%v", tt.ports, err, tt.ok)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Fatalf("ValidatePorts(%v) = %v, want %v", tt.ports, err, tt.is)
			}
		})
	}
}

func TestEndpoint(t *testing.T) {
	tests := []struct {
		ep   Endpoint
		want string
	}{
		{Endpoint{"tcp4", 8080}, "tcp4 127.0.0.1:8080"},
		{Endpoint{"tcp6", 8080}, "tcp6 [::1]:8080"},
		{Endpoint{"udp4", 53}, "udp4 127.0.0.1:53"},
		{Endpoint{"udp6", 53}, "udp6 [::1]:53"},
	}
	for _, tt := range tests {
		if got := tt.ep.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.ep, got, tt.want)
		}
	}
}

func TestIPv4OnlyAndPorts(t *testing.T) {
	v4 := []Endpoint{{"tcp4", 80}, {"udp4", 80}}
	both := []Endpoint{{"tcp4", 80}, {"tcp6", 80}}
	tests := []struct {
		eps      []Endpoint
		ipv4Only bool
		ports    string
	}{
		{nil, false, ""},
		{v4, true, "tcp4:80,udp4:80"},
		{both, false, "tcp4:80,tcp6:80"},
		{[]Endpoint{{"tcp6", 1}}, false, "tcp6:1"},
	}
	for _, tt := range tests {
		got := []any{IPv4Only(tt.eps), Ports(tt.eps)}
		if diff := cmp.Diff([]any{tt.ipv4Only, tt.ports}, got); diff != "" {
			t.Errorf("%v: (-want +got)\n%s", tt.eps, diff)
		}
	}
}

func TestTotal(t *testing.T) {
	got := Total([]PortStats{
		{Port: 1, Proto: "tcp4", Connections: 2, Refused: 1, DialFailures: 1, BytesIn: 10, BytesOut: 20},
		{Port: 1, Proto: "tcp6", Connections: 3, Refused: 0, DialFailures: 2, BytesIn: 5, BytesOut: 7},
	})
	want := PortStats{Connections: 5, Refused: 1, DialFailures: 3, BytesIn: 15, BytesOut: 27}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Total (-want +got)\n%s", diff)
	}
}
