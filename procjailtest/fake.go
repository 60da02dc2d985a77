// Package procjailtest helps test code that drives a procjail harness,
// without starting a sandbox.
package procjailtest

import (
	"io"
	"strings"
	"sync"

	"github.com/procjail/procjail"
)

// Fake is an in-memory procjail.IO: each line sent is answered by Handler,
// and the replies are returned by Recv in order. It is safe for concurrent
// use.
type Fake struct {
	// Handler answers one line with zero or more lines; nil echoes.
	Handler func(line string) []string

	mu     sync.Mutex
	cond   *sync.Cond
	queue  []string
	sent   []string
	killed bool
}

// NewFake returns a Fake that answers with h.
func NewFake(h func(line string) []string) *Fake {
	f := &Fake{Handler: h}
	f.cond = sync.NewCond(&f.mu)
	return f
}

// Send records the line and queues the handler's replies.
func (f *Fake) Send(line string) error {
	if strings.ContainsRune(line, '\n') {
		return &procjail.Error{Op: "send", Err: procjail.ErrNewline}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.killed {
		return &procjail.Error{Op: "send", Err: procjail.ErrClosed}
	}
	f.sent = append(f.sent, line)
	replies := []string{line}
	if f.Handler != nil {
		replies = f.Handler(line)
	}
	f.queue = append(f.queue, replies...)
	f.cond.Broadcast()
	return nil
}

// Recv returns the next queued reply; it blocks until one is queued, and
// returns io.EOF once the fake is killed and drained.
func (f *Fake) Recv() (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for len(f.queue) == 0 && !f.killed {
		f.cond.Wait()
	}
	if len(f.queue) == 0 {
		return "", io.EOF
	}
	l := f.queue[0]
	f.queue = f.queue[1:]
	return l, nil
}

// Kill ends the fake: Send fails and Recv returns io.EOF when drained.
func (f *Fake) Kill() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.killed = true
	f.cond.Broadcast()
	return nil
}

// Alive reports whether Kill has not been called.
func (f *Fake) Alive() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return !f.killed
}

// Sent returns every line sent so far.
func (f *Fake) Sent() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.sent...)
}

var _ procjail.IO = (*Fake)(nil)
