package netfwd

import (
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// acceptLoop accepts connections on p until the listener is closed.
func (f *Forwarder) acceptLoop(p *port) {
	defer f.wg.Done()
	var backoff retryBackoff
	for {
		c, err := p.ln.Accept()
		if err != nil {
			if f.isClosed() || errors.Is(err, net.ErrClosed) || !backoff.wait(f.ctx.Done()) {
				return
			}
			continue
		}
		backoff.reset()
		f.admit(p, c)
	}
}

// admit starts a relay for c, or refuses it when MaxConns relays are open.
func (f *Forwarder) admit(p *port, c net.Conn) {
	if !f.acquire() {
		p.count.refused.Add(1)
		c.Close()
		return
	}
	p.count.conns.Add(1)
	if !f.track(c) {
		f.release()
		return
	}
	f.wg.Add(1)
	go f.serveTCP(p, c)
}

// serveTCP dials the host for the sandbox's connection down and relays.
func (f *Forwarder) serveTCP(p *port, down net.Conn) {
	defer f.wg.Done()
	defer f.release()
	defer f.untrack(down)
	up, err := f.dial(p.ep)
	if err != nil {
		p.count.dialFailures.Add(1)
		return
	}
	if !f.track(up) {
		return
	}
	defer f.untrack(up)
	relay(down, up, &p.count, f.opts.IdleTimeout)
}

// relay copies both ways until both directions ended. An end of stream is
// passed on as a half-close; an error or the idle limit ends both.
func relay(down, up net.Conn, c *counters, idle time.Duration) {
	act := newActivity(idle)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		pipe(up, down, &c.in, act)
	}()
	pipe(down, up, &c.out, act)
	wg.Wait()
}

// pipe copies src to dst through a pooled buffer, counting bytes written.
func pipe(dst, src net.Conn, n *atomic.Uint64, act *activity) {
	buf := getBuf()
	defer putBuf(buf)
	_, err := io.CopyBuffer(countWriter{dst, n}, idleReader{src, act}, *buf)
	if err == nil {
		if cw, ok := dst.(interface{ CloseWrite() error }); ok && cw.CloseWrite() == nil {
			return
		}
	}
	// An error (a reset, the idle limit, Close) ends both directions.
	dst.Close()
	src.Close()
}

// isClosed reports whether Close was called.
func (f *Forwarder) isClosed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.closed
}

// retryBackoff spaces out retries after accept errors (EMFILE, ENOBUFS...)
// so that a persistent error never spins.
type retryBackoff struct{ d time.Duration }

func (b *retryBackoff) reset() { b.d = 0 }

// wait sleeps the next backoff step; it returns false if done closed.
func (b *retryBackoff) wait(done <-chan struct{}) bool {
	b.d = min(max(2*b.d, 5*time.Millisecond), time.Second)
	t := time.NewTimer(b.d)
	defer t.Stop()
	select {
	case <-done:
		return false
	case <-t.C:
		return true
	}
}
