package netfwd

import (
	"errors"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// bufSize is each TCP relay direction's buffer.
const bufSize = 32 << 10

var bufPool = sync.Pool{New: func() any { b := make([]byte, bufSize); return &b }}

func getBuf() *[]byte  { return bufPool.Get().(*[]byte) }
func putBuf(b *[]byte) { bufPool.Put(b) }

// countWriter counts what it wrote. It hides dst's ReadFrom, so that
// io.CopyBuffer uses the pooled buffer and counts every byte.
type countWriter struct {
	dst net.Conn
	n   *atomic.Uint64
}

func (w countWriter) Write(b []byte) (int, error) {
	n, err := w.dst.Write(b)
	w.n.Add(uint64(n))
	return n, err
}

// activity is the last time a relay moved a byte either way, shared by
// both directions, for the idle limit. A nil activity means no limit.
type activity struct {
	idle time.Duration
	last atomic.Int64 // UnixNano
}

func newActivity(idle time.Duration) *activity {
	if idle <= 0 {
		return nil
	}
	a := &activity{idle: idle}
	a.touch()
	return a
}

func (a *activity) touch() { a.last.Store(time.Now().UnixNano()) }

// deadline is when the relay becomes idle.
func (a *activity) deadline() time.Time { return time.Unix(0, a.last.Load()).Add(a.idle) }

// idleReader reads src until the relay has been idle for the limit: a
// timeout while the other direction moved data only re-arms the deadline.
type idleReader struct {
	src net.Conn
	act *activity
}

func (r idleReader) Read(b []byte) (int, error) {
	if r.act == nil {
		return r.src.Read(b)
	}
	for {
		d := r.act.deadline()
		r.src.SetReadDeadline(d)
		n, err := r.src.Read(b)
		if n > 0 {
			r.act.touch()
		}
		if n > 0 || !errors.Is(err, os.ErrDeadlineExceeded) || !r.act.deadline().After(d) {
			return n, err
		}
	}
}
