package netfwd

import (
	"errors"
	"net"
	"net/netip"
	"sync"
	"syscall"
)

// udpBufSize holds the largest UDP datagram.
const udpBufSize = 64 << 10

var udpBufPool = sync.Pool{New: func() any { b := make([]byte, udpBufSize); return &b }}

// udpSession relays one sandbox source address and port to the host over
// a connected UDP socket.
type udpSession struct {
	src netip.AddrPort
	up  net.Conn
	act *activity
}

// udpRelay is the state of one UDP port's relay.
type udpRelay struct {
	f        *Forwarder
	p        *port
	mu       sync.Mutex
	sessions map[netip.AddrPort]*udpSession
}

// udpLoop reads datagrams from the sandbox and sends each to its source's
// session, opening sessions as new sources appear, until p is closed.
func (f *Forwarder) udpLoop(p *port) {
	defer f.wg.Done()
	r := &udpRelay{f: f, p: p, sessions: make(map[netip.AddrPort]*udpSession)}
	buf := udpBufPool.Get().(*[]byte)
	defer udpBufPool.Put(buf)
	var backoff retryBackoff
	for {
		n, src, err := p.pc.ReadFromUDPAddrPort(*buf)
		if err != nil {
			if f.isClosed() || errors.Is(err, net.ErrClosed) || !backoff.wait(f.ctx.Done()) {
				return
			}
			continue
		}
		backoff.reset()
		r.forward(src, (*buf)[:n])
	}
}

// forward sends one datagram from src to the host.
func (r *udpRelay) forward(src netip.AddrPort, b []byte) {
	s := r.session(src)
	if s == nil {
		return
	}
	s.act.touch()
	if n, err := s.up.Write(b); err == nil {
		r.p.count.in.Add(uint64(n))
	}
}

// session returns src's session, opening one if there is room.
func (r *udpRelay) session(src netip.AddrPort) *udpSession {
	r.mu.Lock()
	s := r.sessions[src]
	r.mu.Unlock()
	if s != nil {
		return s
	}
	if !r.f.acquire() {
		r.p.count.refused.Add(1)
		return nil
	}
	r.p.count.conns.Add(1)
	up, err := r.f.dial(r.p.ep)
	if err != nil {
		r.p.count.dialFailures.Add(1)
		r.f.release()
		return nil
	}
	if !r.f.track(up) {
		r.f.release()
		return nil
	}
	s = &udpSession{src: src, up: up, act: newActivity(r.f.opts.udpIdle())}
	r.mu.Lock()
	r.sessions[src] = s
	r.mu.Unlock()
	r.f.wg.Add(1)
	go r.replies(s)
	return s
}

// replies sends the host's datagrams back to the session's source until
// the session is idle or closed, then ends it.
func (r *udpRelay) replies(s *udpSession) {
	defer r.f.wg.Done()
	defer r.f.release()
	defer r.f.untrack(s.up)
	defer r.forget(s)
	buf := udpBufPool.Get().(*[]byte)
	defer udpBufPool.Put(buf)
	rd := idleReader{s.up, s.act}
	for {
		n, err := rd.Read(*buf)
		if n > 0 {
			if m, werr := r.p.pc.WriteToUDPAddrPort((*buf)[:n], s.src); werr == nil {
				r.p.count.out.Add(uint64(m))
			}
		}
		// An ICMP "port unreachable" from the host is reported once per
		// datagram sent: the session goes on, as UDP would.
		if err != nil && !errors.Is(err, syscall.ECONNREFUSED) {
			return
		}
	}
}

// forget removes s, so that the source's next datagram opens a new session.
func (r *udpRelay) forget(s *udpSession) {
	r.mu.Lock()
	if r.sessions[s.src] == s {
		delete(r.sessions, s.src)
	}
	r.mu.Unlock()
}
