package netfwd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// listenerFile returns a listening socket's file on addr (in this
// namespace) and its port. The Forwarder takes ownership of the file.
func listenerFile(t *testing.T, network, addr string) (*os.File, uint16) {
	t.Helper()
	ln, err := net.Listen(network, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	f, err := ln.(*net.TCPListener).File()
	if err != nil {
		t.Fatal(err)
	}
	return f, portOf(ln.Addr())
}

// replyBackend is a host service that reads a request to its end (so it
// needs the half-close passed on) and answers "got N bytes".
func replyBackend(t *testing.T) string {
	t.Helper()
	ln := listenTCP(t, "127.0.0.1:0")
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				n, _ := io.Copy(io.Discard, c)
				fmt.Fprintf(c, "got %d bytes", n)
			}()
		}
	}()
	return ln.Addr().String()
}

// redirect is a dialer that records what the forwarder asked for and dials
// backend instead (the host-side service of an in-process test).
type redirect struct {
	backend string
	mu      sync.Mutex
	asked   []string
	fail    func(network string) bool
	errs    []error
}

func (r *redirect) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	r.mu.Lock()
	r.asked = append(r.asked, network+" "+addr)
	r.mu.Unlock()
	if r.fail != nil && r.fail(network) {
		return nil, errors.New("test dial failure")
	}
	var d net.Dialer
	c, err := d.DialContext(ctx, strings.Replace(network, "6", "4", 1), r.backend)
	if err != nil {
		r.mu.Lock()
		r.errs = append(r.errs, err)
		r.mu.Unlock()
	}
	return c, err
}

// forwarder starts a Forwarder on one in-process listener, dialling
// through r.
func forwarder(t *testing.T, r *redirect, opts Options) (*Forwarder, string) {
	t.Helper()
	f, port := listenerFile(t, "tcp4", "127.0.0.1:0")
	opts.DialTestOnly = r.dial
	fwd, err := NewForwarder([]*os.File{f}, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fwd.Close() })
	fwd.Start()
	return fwd, fmt.Sprintf("127.0.0.1:%d", port)
}

// exchange sends msg, half-closes, and returns everything read back.
func exchange(t *testing.T, addr, msg string) string {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, msg); err != nil {
		t.Fatal(err)
	}
	c.(*net.TCPConn).CloseWrite()
	b, err := io.ReadAll(c)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestForwarderManyConnectionsLeaveNothing(t *testing.T) {
	backend := replyBackend(t)
	runtime.GC()
	fds, goroutines := fdCount(t), runtime.NumGoroutine()
	r := &redirect{backend: backend}
	fwd, addr := forwarder(t, r, Options{})
	var sent uint64
	for i := range 1000 {
		msg := strings.Repeat("x", i%97)
		if i%5 == 4 {
			abandon(t, addr, msg) // the sandbox side vanishes mid-relay
			continue
		}
		if got, want := exchange(t, addr, msg), fmt.Sprintf("got %d bytes", len(msg)); got != want {
			t.Fatalf("connection %d: got %q, want %q", i, got, want)
		}
		sent += uint64(len(msg))
	}
	// Each relay releases its fds and goroutines when it ends, not at Close:
	// once all are done, only the listener (and its accept loop) remain.
	eventually(t, "all relays end", func() bool { return fwd.Stats()[0].Connections == 1000 && fwd.Active() == 0 })
	noLeaks(t, fds+1, goroutines+1)
	within(t, "Close", func() { fwd.Close() })
	st := fwd.Stats()[0]
	if st.Connections != 1000 || st.Refused != 0 || st.DialFailures != 0 || st.BytesIn < sent {
		t.Errorf("Stats = %+v, want 1000 connections and at least %d bytes in (dial errors: %v)", st, sent, r.errs)
	}
	if r.asked[0] != "tcp4 "+addr {
		t.Errorf("the forwarder dialled %q, want the same port on the host loopback %q", r.asked[0], addr)
	}
	noLeaks(t, fds, goroutines)
}

// abandon connects, writes and closes without reading.
func abandon(t *testing.T, addr, msg string) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(c, msg)
	c.Close()
}

// holdOpen connects and checks the relay works, leaving it open.
func holdOpen(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := c.Write([]byte("ping")); err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 4)
	if _, err := io.ReadFull(c, b); err != nil || string(b) != "ping" {
		t.Fatalf("relay: read %q, %v", b, err)
	}
	return c
}

// echoBackend echoes each connection until its end, and can also flood:
// a connection whose first bytes are "flood" gets data until it breaks.
func echoBackend(t *testing.T) string {
	t.Helper()
	ln := listenTCP(t, "127.0.0.1:0")
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go echoOrFlood(c)
		}
	}()
	return ln.Addr().String()
}

func echoOrFlood(c net.Conn) {
	defer c.Close()
	b := make([]byte, 5)
	n, _ := io.ReadFull(c, b[:4])
	if string(b[:n]) == "floo" {
		junk := make([]byte, 64<<10)
		for {
			if _, err := c.Write(junk); err != nil {
				return
			}
		}
	}
	c.Write(b[:n])
	io.Copy(c, c)
}

// readEnd reads c until it ends, and returns what came.
func readEnd(t *testing.T, c net.Conn) string {
	t.Helper()
	var b []byte
	within(t, "reading the end of a connection", func() { b, _ = io.ReadAll(c) })
	return string(b)
}

func TestForwarderMaxConns(t *testing.T) {
	fwd, addr := forwarder(t, &redirect{backend: echoBackend(t)}, Options{MaxConns: 2})
	c1 := holdOpen(t, addr)
	holdOpen(t, addr)
	c3, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c3.Close()
	if got := readEnd(t, c3); got != "" {
		t.Fatalf("a connection over MaxConns got %q", got)
	}
	if st := fwd.Stats()[0]; st.Refused != 1 || st.Connections != 2 {
		t.Fatalf("Stats = %+v, want 2 connections and 1 refused", st)
	}
	c1.Close()
	eventually(t, "a slot is freed", func() bool { return fwd.Active() == 1 })
	holdOpen(t, addr)
	if st := fwd.Stats()[0]; st.Refused != 1 || st.Connections != 3 {
		t.Fatalf("Stats = %+v, want 3 connections and 1 refused", st)
	}
}

func TestForwarderCloseEndsActiveConnections(t *testing.T) {
	backend := echoBackend(t)
	fds, goroutines := fdCount(t), runtime.NumGoroutine()
	fwd, addr := forwarder(t, &redirect{backend: backend}, Options{})
	idle := holdOpen(t, addr)
	flood, err := net.Dial("tcp", addr) // the sandbox never reads: the relay blocks writing
	if err != nil {
		t.Fatal(err)
	}
	defer flood.Close()
	io.WriteString(flood, "flood")
	eventually(t, "both relays run", func() bool { return fwd.Active() == 2 })
	within(t, "Close with active connections", func() { fwd.Close() })
	if fwd.Active() != 0 {
		t.Fatalf("%d relays still open after Close", fwd.Active())
	}
	readEnd(t, idle)
	readEnd(t, flood)
	if _, err := net.Dial("tcp", addr); err == nil {
		t.Error("the listener still accepts after Close")
	}
	idle.Close()
	flood.Close()
	noLeaks(t, fds, goroutines)
}

func TestForwarderIdleTimeout(t *testing.T) {
	fwd, addr := forwarder(t, &redirect{backend: echoBackend(t)}, Options{IdleTimeout: 50 * time.Millisecond})
	c := holdOpen(t, addr)
	readEnd(t, c) // ends once idle; within() bounds the wait
	eventually(t, "the relay ends", func() bool { return fwd.Active() == 0 })
}

func TestForwarderDialFailure(t *testing.T) {
	r := &redirect{fail: func(string) bool { return true }}
	fwd, addr := forwarder(t, r, Options{})
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if got := readEnd(t, c); got != "" {
		t.Fatalf("got %q from a relay whose dial failed", got)
	}
	fwd.Close()
	if st := fwd.Stats()[0]; st.Connections != 1 || st.DialFailures != 1 {
		t.Fatalf("Stats = %+v, want 1 connection and 1 dial failure", st)
	}
}

func TestForwarderIPv6FallsBackToIPv4(t *testing.T) {
	f, port := listenerFile(t, "tcp6", "[::1]:0")
	r := &redirect{backend: replyBackend(t), fail: func(n string) bool { return n == "tcp6" }}
	fwd, err := NewForwarder([]*os.File{f}, Options{DialTestOnly: r.dial})
	if err != nil {
		t.Fatal(err)
	}
	defer fwd.Close()
	fwd.Start()
	if got := exchange(t, fmt.Sprintf("[::1]:%d", port), "abc"); got != "got 3 bytes" {
		t.Fatalf("got %q", got)
	}
	fwd.Close()
	want := []string{fmt.Sprintf("tcp6 [::1]:%d", port), fmt.Sprintf("tcp4 127.0.0.1:%d", port)}
	if strings.Join(r.asked, ",") != strings.Join(want, ",") {
		t.Fatalf("dialled %q, want %q", r.asked, want)
	}
}

func TestDialLoopbackRefusesOtherAddresses(t *testing.T) {
	for _, addr := range []string{"192.0.2.1:80", "127.0.0.2:80", "[::2]:80", "0.0.0.0:80", "[::]:80", "localhost:80", "example.com:80", "[::ffff:127.0.0.1]:80"} {
		c, err := dialLoopback(context.Background(), "tcp", addr)
		if err == nil {
			c.Close()
			t.Errorf("dialLoopback(%q) succeeded", addr)
		}
	}
	ln := listenTCP(t, "127.0.0.1:0")
	c, err := dialLoopback(context.Background(), "tcp4", ln.Addr().String())
	if err != nil {
		t.Fatalf("dialLoopback(%s): %v", ln.Addr(), err)
	}
	c.Close()
}

func TestNewForwarderRejects(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	good, _ := listenerFile(t, "tcp4", "127.0.0.1:0")
	before := fdCount(t)
	if _, err := NewForwarder([]*os.File{good, r}, Options{}); err == nil {
		t.Fatal("NewForwarder accepted a pipe")
	}
	if n := fdCount(t); n != before-2 {
		t.Fatalf("%d fds open after a failed NewForwarder, want %d (its files closed)", n, before-2)
	}
	if ip := hostAddress(); ip != nil {
		f, _ := listenerFile(t, "tcp4", net.JoinHostPort(ip.String(), "0"))
		if _, err := NewForwarder([]*os.File{f}, Options{}); err == nil {
			t.Fatalf("NewForwarder accepted a listener on %s", ip)
		}
	}
}
