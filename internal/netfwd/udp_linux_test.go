package netfwd

import (
	"net"
	"os"
	"runtime"
	"testing"
	"time"
)

// udpForwarder starts a Forwarder on an in-process UDP socket that relays to
// backend, and returns the socket's address.
func udpForwarder(t *testing.T, backend string, opts Options) (*Forwarder, string) {
	t.Helper()
	pc, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	f, err := pc.File()
	pc.Close()
	if err != nil {
		t.Fatal(err)
	}
	r := &redirect{backend: backend}
	opts.DialTestOnly = r.dial
	fwd, err := NewForwarder([]*os.File{f}, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fwd.Close() })
	fwd.Start()
	return fwd, pc.LocalAddr().String()
}

// udpClient sends msg from a new source port and returns the reply, or ""
// if none came within a bound.
func udpClient(t *testing.T, addr, msg string) (net.Conn, string) {
	t.Helper()
	c, err := net.Dial("udp4", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, udpAsk(t, c, msg)
}

func udpAsk(t *testing.T, c net.Conn, msg string) string {
	t.Helper()
	if _, err := c.Write([]byte(msg)); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(2 * time.Second))
	b := make([]byte, 64)
	n, _ := c.Read(b)
	return string(b[:n])
}

func TestForwarderUDP(t *testing.T) {
	backend := udpEcho(t, "udp4", "127.0.0.1:0").LocalAddr().String()
	fds, goroutines := fdCount(t), runtime.NumGoroutine()
	fwd, addr := udpForwarder(t, backend, Options{MaxConns: 1})
	c1, got := udpClient(t, addr, "one")
	if got != "one" {
		t.Fatalf("first source: got %q, want the echo", got)
	}
	if got := udpAsk(t, c1, "again"); got != "again" {
		t.Fatalf("same source again: got %q", got)
	}
	// A second source while the only session is open is refused; the
	// bounded read returns nothing.
	c2, got := udpClient(t, addr, "two")
	if got != "" {
		t.Fatalf("second source over MaxConns: got %q", got)
	}
	within(t, "Close", func() { fwd.Close() })
	st := fwd.Stats()[0]
	want := PortStats{Port: portOf(c1.RemoteAddr()), Proto: "udp4", Connections: 1, Refused: 1, BytesIn: 8, BytesOut: 8}
	if st != want {
		t.Fatalf("Stats = %+v, want %+v", st, want)
	}
	c1.Close()
	c2.Close()
	noLeaks(t, fds, goroutines)
}

func TestForwarderUDPIdleSessionEnds(t *testing.T) {
	backend := udpEcho(t, "udp4", "127.0.0.1:0").LocalAddr().String()
	fwd, addr := udpForwarder(t, backend, Options{IdleTimeout: 20 * time.Millisecond})
	if _, got := udpClient(t, addr, "x"); got != "x" {
		t.Fatalf("got %q", got)
	}
	eventually(t, "the idle session ends", func() bool { return fwd.Active() == 0 })
	if _, got := udpClient(t, addr, "y"); got != "y" {
		t.Fatalf("after the idle end, a new session: got %q", got)
	}
	fwd.Close()
	if st := fwd.Stats()[0]; st.Connections != 2 {
		t.Fatalf("Stats = %+v, want 2 sessions", st)
	}
}

func TestForwarderUDPHostPortClosed(t *testing.T) {
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := pc.LocalAddr().String()
	pc.Close()
	fwd, addr := udpForwarder(t, dead, Options{})
	c, got := udpClient(t, addr, "a")
	if got != "" {
		t.Fatalf("got %q from a closed host port", got)
	}
	// The ICMP error must not end the session or make it spin.
	if got := udpAsk(t, c, "b"); got != "" {
		t.Fatalf("got %q", got)
	}
	if fwd.Active() != 1 {
		t.Fatalf("%d sessions open, want 1", fwd.Active())
	}
	fwd.Close()
	if st := fwd.Stats()[0]; st.Connections != 1 || st.BytesIn != 2 {
		t.Fatalf("Stats = %+v, want 1 session and 2 bytes in", st)
	}
}
