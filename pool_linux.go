package procjail

import (
	"errors"
	"github.com/procjail/procjail/internal/stage"
	"sync"
)

// warmPool keeps Unshare stages ready: each is already cloned into fresh
// namespaces of its own (nothing is shared between sandboxes) and has
// started its runtime, and waits for its spec. Taking one removes the
// clone and the runtime start from a spawn's latency; the pool refills in
// the background. A ready stage holds no payload and no caller data; it
// exits when the caller does.
type warmPool struct {
	mu      sync.Mutex
	size    int
	ready   []*launched
	filling int
}

var pool = &warmPool{size: 2}

// SetWarmStages sets how many Unshare stages procjail keeps ready (2 by
// default; each is an idle process of a few MiB). 0 disables the pool and
// ends the stages already ready. The pool fills only after the first
// Unshare spawn.
func SetWarmStages(n int) {
	pool.mu.Lock()
	pool.size = max(n, 0)
	var drop []*launched
	if len(pool.ready) > pool.size {
		drop = pool.ready[pool.size:]
		pool.ready = pool.ready[:pool.size]
	}
	pool.mu.Unlock()
	for _, l := range drop {
		l.discard()
	}
}

// take returns a ready stage, or nil. The caller calls refill once its
// sandbox runs: cloning forks the caller, which stalls its memory
// operations for a moment, so it must not overlap a spawn's setup.
func (p *warmPool) take() *launched {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.ready) > 0 {
		l := p.ready[0] // the oldest: the most likely to have finished starting
		p.ready = p.ready[1:]
		return l
	}
	return nil
}

// refill starts cloning stages until the pool is full again.
func (p *warmPool) refill() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.ready)+p.filling < p.size {
		p.filling++
		go p.fill()
	}
}

func (p *warmPool) fill() {
	ids := allocIDs()
	l, err := launchWarm(ids)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.filling--
	if err != nil {
		return // the next take tries again; a cold spawn reports the error
	}
	l.ids, l.warm = ids, true
	if len(p.ready) >= p.size {
		go l.discard()
		return
	}
	p.ready = append(p.ready, l)
}

// stageLost reports whether a handshake failed because the stage was
// already gone (a warm stage killed from outside): a fresh one may work.
func stageLost(err error) bool {
	var e *Error
	return errors.As(err, &e) && (e.Step == "stage handshake" || e.Step == stage.StaleStep)
}

// sandboxEnded refills the pool once a sandbox is gone: cloning a stage
// forks the caller, which briefly stalls its memory operations and takes a
// CPU, so it is done when a sandbox ends rather than while one starts.
func sandboxEnded(s Strategy) {
	if s == Unshare {
		pool.refill()
	}
}

// launchWarm clones a stage for the pool, born inside a cgroup of its own
// where the host has one (moving a process between cgroups is slow: it is
// done now, while nothing waits, and the sandbox's limits are written when
// it is taken).
func launchWarm(ids sandboxIDs) (*launched, error) {
	attr := unshareAttr(ids)
	sg, _ := makeGroup(DefaultMaxMemoryBytes, DefaultMaxProcesses)
	sg.cloneInto(attr)
	l, err := launchStage(Unshare, attr, poolThread())
	if err == nil && sg != nil {
		err = sg.g.AddProc(l.cmd.Process.Pid)
		if err != nil {
			l.discard()
		}
	}
	if err != nil {
		if sg != nil {
			sg.g.Remove()
		}
		return nil, err
	}
	l.group = sg
	return l, nil
}
