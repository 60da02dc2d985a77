package netfwd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
)

// Forwarder relays connections accepted on sockets in the sandbox's network
// namespace to the same port of the host's loopback. Create it with
// [NewForwarder], then Start it; Close ends everything it started.
type Forwarder struct {
	opts   Options
	ports  []*port
	ctx    context.Context
	cancel context.CancelFunc
	slots  chan struct{} // one token per open relay, MaxConns in all

	mu     sync.Mutex
	open   map[io.Closer]struct{} // every connection to close on Close
	closed bool

	wg        sync.WaitGroup
	startOnce sync.Once
	closeOnce sync.Once
	closeErr  error
}

// port is one forwarded socket: a TCP listener or a UDP socket.
type port struct {
	ep    Endpoint
	ln    net.Listener // TCP
	pc    *net.UDPConn // UDP
	count counters
}

// NewForwarder takes ownership of listeners (sockets from [Listen], as
// received with [RecvFDs]): it closes them, on error too, and works on
// duplicates. Each must be a TCP listening socket or a UDP socket bound to
// 127.0.0.1 or ::1.
func NewForwarder(listeners []*os.File, opts Options) (*Forwarder, error) {
	defer closeFiles(listeners)
	f := &Forwarder{opts: opts.withDefaults(), open: make(map[io.Closer]struct{})}
	f.ctx, f.cancel = context.WithCancel(context.Background())
	f.slots = make(chan struct{}, f.opts.MaxConns)
	for _, l := range listeners {
		p, err := newPort(l)
		if err != nil {
			f.Close()
			return nil, err
		}
		f.ports = append(f.ports, p)
	}
	return f, nil
}

// newPort wraps a TCP listener or a UDP socket.
func newPort(file *os.File) (*port, error) {
	if ln, err := net.FileListener(file); err == nil {
		ep, err := endpointOf("tcp", ln.Addr())
		if err != nil {
			ln.Close()
			return nil, err
		}
		return &port{ep: ep, ln: ln}, nil
	}
	pc, err := net.FilePacketConn(file)
	if err != nil {
		return nil, fmt.Errorf("netfwd: %s is neither a TCP listener nor a UDP socket: %w", file.Name(), err)
	}
	udp, ok := pc.(*net.UDPConn)
	ep, err := endpointOf("udp", pc.LocalAddr())
	if !ok || err != nil {
		pc.Close()
		return nil, fmt.Errorf("netfwd: %s is not a UDP socket on loopback: %v", file.Name(), err)
	}
	return &port{ep: ep, pc: udp}, nil
}

// endpointOf checks that a is 127.0.0.1 or ::1 and names its endpoint.
func endpointOf(proto string, a net.Addr) (Endpoint, error) {
	var ip net.IP
	var p int
	switch a := a.(type) {
	case *net.TCPAddr:
		ip, p = a.IP, a.Port
	case *net.UDPAddr:
		ip, p = a.IP, a.Port
	}
	ep := Endpoint{Network: proto + "4", Port: uint16(p)}
	if ip.To4() == nil {
		ep.Network = proto + "6"
	}
	if ip == nil || !ip.Equal(ep.Addr().Addr().AsSlice()) {
		return Endpoint{}, fmt.Errorf("netfwd: socket bound to %s: only 127.0.0.1 and ::1 are forwarded", a)
	}
	return ep, nil
}

// Endpoints lists the forwarded sockets, in the order they were given.
func (f *Forwarder) Endpoints() []Endpoint {
	eps := make([]Endpoint, len(f.ports))
	for i, p := range f.ports {
		eps[i] = p.ep
	}
	return eps
}

// Start starts relaying. Calling it again, or after Close, does nothing.
func (f *Forwarder) Start() {
	f.startOnce.Do(func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.closed {
			return
		}
		for _, p := range f.ports {
			f.wg.Add(1)
			if p.ln != nil {
				go f.acceptLoop(p)
			} else {
				go f.udpLoop(p)
			}
		}
	})
}

// Close closes the listeners and every relayed connection, and waits for
// everything the forwarder started to end. It is safe to call more than
// once; later calls return the first call's result.
func (f *Forwarder) Close() error {
	f.closeOnce.Do(func() {
		f.mu.Lock()
		f.closed = true
		for _, p := range f.ports {
			f.closeErr = errors.Join(f.closeErr, p.close())
		}
		for c := range f.open {
			c.Close()
		}
		f.mu.Unlock()
		f.cancel()
		f.wg.Wait()
	})
	return f.closeErr
}

func (p *port) close() error {
	if p.ln != nil {
		return p.ln.Close()
	}
	return p.pc.Close()
}

// Stats returns the counts of each forwarded socket, in the order of
// Endpoints. It may be called at any time; after Close the counts are final.
func (f *Forwarder) Stats() []PortStats {
	out := make([]PortStats, len(f.ports))
	for i, p := range f.ports {
		out[i] = p.count.snapshot(p.ep)
	}
	return out
}

// Active returns how many relays (TCP connections and UDP sessions) are
// open.
func (f *Forwarder) Active() int { return len(f.slots) }

// track registers c to be closed by Close. It returns false, having closed
// c, if the forwarder is already closed.
func (f *Forwarder) track(c io.Closer) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		c.Close()
		return false
	}
	f.open[c] = struct{}{}
	return true
}

// untrack closes c and forgets it.
func (f *Forwarder) untrack(c io.Closer) {
	f.mu.Lock()
	delete(f.open, c)
	f.mu.Unlock()
	c.Close()
}

// acquire takes a relay slot without waiting.
func (f *Forwarder) acquire() bool {
	select {
	case f.slots <- struct{}{}:
		return true
	default:
		return false
	}
}

func (f *Forwarder) release() { <-f.slots }

// dial connects to the host's loopback on ep's port: [::1] for an IPv6
// endpoint, falling back to 127.0.0.1.
func (f *Forwarder) dial(ep Endpoint) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(f.ctx, f.opts.DialTimeout)
	defer cancel()
	c, err := f.opts.DialTestOnly(ctx, ep.Network, ep.Addr().String())
	if err != nil && ep.ipv6() && ctx.Err() == nil {
		v4 := Endpoint{Network: ep.Network[:3] + "4", Port: ep.Port}
		c, err = f.opts.DialTestOnly(ctx, v4.Network, v4.Addr().String())
	}
	return c, err
}

func closeFiles(files []*os.File) {
	for _, f := range files {
		f.Close()
	}
}
