package netfwd

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const hostGreeting = "hello from the host loopback"

// hostServices are the host-side services a sandbox test probes.
type hostServices struct {
	http     uint16 // listed: an HTTP server on 127.0.0.1
	unlisted uint16 // not listed: a TCP listener on 127.0.0.1
	dead     uint16 // listed, but nothing listens on the host
	udp      uint16 // listed: a UDP echo server on 127.0.0.1 (and ::1 if it can)
	udp6     bool
	hostIP   string // "ip:port" of a listener on a non-loopback host address, or ""
}

func startHostServices(t *testing.T) hostServices {
	var h hostServices
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, hostGreeting)
	}))
	t.Cleanup(srv.Close)
	h.http = portOf(srv.Listener.Addr())
	h.unlisted = portOf(listenTCP(t, "127.0.0.1:0").Addr())
	dead := listenTCP(t, "127.0.0.1:0")
	h.dead = portOf(dead.Addr())
	dead.Close()
	h.udp = portOf(udpEcho(t, "udp4", "127.0.0.1:0").LocalAddr())
	if pc, err := net.ListenPacket("udp6", fmt.Sprintf("[::1]:%d", h.udp)); err == nil {
		go echoPackets(pc)
		t.Cleanup(func() { pc.Close() })
		h.udp6 = true
	}
	if ip := hostAddress(); ip != nil {
		h.hostIP = listenTCP(t, net.JoinHostPort(ip.String(), "0")).Addr().String()
	}
	return h
}

// hostAddress returns a non-loopback IPv4 address of this host, or nil.
func hostAddress() net.IP {
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && !n.IP.IsLoopback() && !n.IP.IsLinkLocalUnicast() {
			return n.IP
		}
	}
	return nil
}

func listenTCP(t *testing.T, addr string) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln
}

func udpEcho(t *testing.T, network, addr string) net.PacketConn {
	t.Helper()
	pc, err := net.ListenPacket(network, addr)
	if err != nil {
		t.Fatal(err)
	}
	go echoPackets(pc)
	t.Cleanup(func() { pc.Close() })
	return pc
}

func echoPackets(pc net.PacketConn) {
	b := make([]byte, 2048)
	for {
		n, from, err := pc.ReadFrom(b)
		if err != nil {
			return
		}
		pc.WriteTo(b[:n], from)
	}
}

func portOf(a net.Addr) uint16 {
	_, p, _ := net.SplitHostPort(a.String())
	var n uint16
	fmt.Sscan(p, &n)
	return n
}

// TestSandboxReachesOnlyListedHostPorts is the claim of AllowLocalhost: from
// its own network namespace, the sandbox reaches the host's loopback
// services on the listed ports and nothing else.
func TestSandboxReachesOnlyListedHostPorts(t *testing.T) {
	h := startHostServices(t)
	s := startSandbox(t, childConfig{Ports: []uint16{h.http, h.dead, h.udp}, UDP: true}, Options{})
	v6 := s.has(Endpoint{"tcp6", h.http})
	if !v6 {
		t.Log("the sandbox's namespace has no ::1: only IPv4 is forwarded")
	}
	probes := sandboxProbes(h, v6 && h.udp6)
	if !v6 {
		probes = probes[1:] // no http6
	}
	res := s.run(probes)
	checkReached(t, res, h, v6)
	checkRefused(t, res, h)
	checkSandboxStats(t, s.stats(), res, h, v6)
}

func sandboxProbes(h hostServices, udp6 bool) []probe {
	ps := []probe{
		{Name: "http6", Kind: "http", Addr: fmt.Sprintf("[::1]:%d", h.http)},
		{Name: "http4", Kind: "http", Addr: fmt.Sprintf("127.0.0.1:%d", h.http)},
		{Name: "raw4", Kind: "raw", Addr: fmt.Sprintf("127.0.0.1:%d", h.http), Data: "GET / HTTP/1.0\r\nHost: sandbox\r\n\r\n"},
		{Name: "unlisted", Kind: "connect", Addr: fmt.Sprintf("127.0.0.1:%d", h.unlisted)},
		{Name: "other loopback address", Kind: "connect", Addr: fmt.Sprintf("127.0.0.2:%d", h.http)},
		{Name: "dead", Kind: "raw", Addr: fmt.Sprintf("127.0.0.1:%d", h.dead), Data: "x"},
		{Name: "udp4", Kind: "udp", Addr: fmt.Sprintf("127.0.0.1:%d", h.udp), Data: "ping4"},
	}
	if h.hostIP != "" {
		ps = append(ps, probe{Name: "host address", Kind: "connect", Addr: h.hostIP})
	}
	if udp6 {
		ps = append(ps, probe{Name: "udp6", Kind: "udp", Addr: fmt.Sprintf("[::1]:%d", h.udp), Data: "ping6"})
	}
	return ps
}

// checkReached checks the probes that must reach the host.
func checkReached(t *testing.T, res map[string]result, h hostServices, v6 bool) {
	t.Helper()
	want := map[string]string{"http4": hostGreeting, "udp4": "ping4"}
	if v6 {
		want["http6"] = hostGreeting
	}
	if _, ok := res["udp6"]; ok {
		want["udp6"] = "ping6"
	}
	for name, body := range want {
		if r := res[name]; !r.OK || r.Body != body {
			t.Errorf("%s: got %+v, want the body %q", name, r, body)
		}
	}
	if r := res["raw4"]; !r.OK || !strings.HasPrefix(r.Body, "HTTP/1.0 200 OK") || !strings.HasSuffix(r.Body, hostGreeting) {
		t.Errorf("raw4: got %+v, want an HTTP/1.0 200 response with %q", r, hostGreeting)
	}
}

// checkRefused checks the probes that must not reach anything.
func checkRefused(t *testing.T, res map[string]result, h hostServices) {
	t.Helper()
	for _, name := range []string{"unlisted", "other loopback address"} {
		if r := res[name]; r.OK || r.Errno != int(syscall.ECONNREFUSED) {
			t.Errorf("%s: got %+v, want ECONNREFUSED inside the namespace", name, r)
		}
	}
	if h.hostIP == "" {
		t.Log("this host has no non-loopback IPv4 address: the host address probe did not run")
	} else if r := res["host address"]; r.OK {
		t.Errorf("host address %s: the sandbox connected to it: %+v", h.hostIP, r)
	}
	// A listed port with no host service: the sandbox's connect succeeds
	// (the listener is in its namespace) but the relay ends at once.
	if r := res["dead"]; r.Body != "" || r.Recv != 0 {
		t.Errorf("dead: got %+v, want no data", r)
	}
}

func checkSandboxStats(t *testing.T, st map[Endpoint]PortStats, res map[string]result, h hostServices, v6 bool) {
	t.Helper()
	http4, raw4 := res["http4"], res["raw4"]
	want := map[Endpoint]PortStats{
		{"tcp4", h.http}: {Port: h.http, Proto: "tcp4", Connections: 2, BytesIn: uint64(http4.Sent + raw4.Sent), BytesOut: uint64(http4.Recv + raw4.Recv)},
		{"tcp4", h.dead}: {Port: h.dead, Proto: "tcp4", Connections: 1, DialFailures: 1},
		{"tcp4", h.udp}:  {Port: h.udp, Proto: "tcp4"},
		{"udp4", h.http}: {Port: h.http, Proto: "udp4"},
		{"udp4", h.dead}: {Port: h.dead, Proto: "udp4"},
		{"udp4", h.udp}:  {Port: h.udp, Proto: "udp4", Connections: 1, BytesIn: 5, BytesOut: 5},
	}
	if v6 {
		http6 := res["http6"]
		want[Endpoint{"tcp6", h.http}] = PortStats{Port: h.http, Proto: "tcp6", Connections: 1, BytesIn: uint64(http6.Sent), BytesOut: uint64(http6.Recv)}
		want[Endpoint{"tcp6", h.dead}] = PortStats{Port: h.dead, Proto: "tcp6"}
		want[Endpoint{"tcp6", h.udp}] = PortStats{Port: h.udp, Proto: "tcp6"}
		want[Endpoint{"udp6", h.http}] = PortStats{Port: h.http, Proto: "udp6"}
		want[Endpoint{"udp6", h.dead}] = PortStats{Port: h.dead, Proto: "udp6"}
		want[Endpoint{"udp6", h.udp}] = PortStats{Port: h.udp, Proto: "udp6"}
		if _, ok := res["udp6"]; ok {
			want[Endpoint{"udp6", h.udp}] = PortStats{Port: h.udp, Proto: "udp6", Connections: 1, BytesIn: 5, BytesOut: 5}
		}
	}
	if diff := cmp.Diff(want, st); diff != "" {
		t.Errorf("Stats (-want +got)\n%s", diff)
	}
}
