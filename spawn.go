package procjail

import (
	"errors"
	"io"
	"os"
	"syscall"
	"time"

	"github.com/procjail/procjail/internal/linechan"
)

// Spawn starts harness under cfg.Runtime inside a sandbox whose working
// directory is workDir, and returns once the payload is running (or the
// sandbox failed to build, with an *Error naming the step). The payload's
// argv is cfg.Runtime, cfg.RuntimeArgs, then harness (omitted when "").
//
// The strategy is cfg.Strategy, or the strongest available when Auto;
// Spawn fails closed when a strategy in cfg.Require cannot be enforced.
func Spawn(harness, workDir string, cfg Config, opts ...SpawnOption) (*Process, error) {
	j, err := newJob(harness, workDir, cfg, opts)
	if err != nil {
		return nil, err
	}
	return j.spawn()
}

// QuickSpawn spawns harness under runtime with DefaultConfig and a 30 s
// timeout, as the original's quick_spawn.
func QuickSpawn(runtime, harness, workDir string) (*Process, error) {
	cfg := DefaultConfig()
	cfg.Runtime = runtime
	cfg.Timeout = 30 * time.Second
	return Spawn(harness, workDir, cfg)
}

// stdio is the parent's and the child's ends of the payload's stdio.
type stdio struct {
	child  [3]*os.File
	parent [3]*os.File
}

func newStdio() (*stdio, error) {
	s := &stdio{}
	for i := range 3 {
		r, w, err := os.Pipe()
		if err != nil {
			s.closeAll()
			return nil, &Error{Op: "spawn", Step: "pipe", Err: err}
		}
		if i == 0 {
			s.child[i], s.parent[i] = r, w
		} else {
			s.child[i], s.parent[i] = w, r
		}
	}
	return s, nil
}

func (s *stdio) closeChild() {
	for _, f := range s.child {
		if f != nil {
			f.Close()
		}
	}
}

func (s *stdio) closeAll() {
	s.closeChild()
	for _, f := range s.parent {
		if f != nil {
			f.Close()
		}
	}
}

// attach wires the parent's ends into p: the line channel, the stderr
// drain, or the WithStdio copies.
func (j *job) attach(p *Process, s *stdio) {
	p.stdin = linechan.NewWriter(s.parent[0])
	if j.opts.stdin != nil {
		go func() {
			io.Copy(s.parent[0], j.opts.stdin)
			p.stdin.Close()
		}()
	}
	if j.opts.stdout != nil {
		p.copied = make(chan struct{})
		go func() {
			io.Copy(j.opts.stdout, s.parent[1])
			s.parent[1].Close()
			close(p.copied)
		}()
	} else {
		p.stdout = linechan.NewReader(s.parent[1], j.cfg.MaxLineBytes)
	}
	var errOut io.Writer // capture: kept in the buffer only
	if !j.cfg.CaptureStderr {
		errOut = j.opts.stderr
		if errOut == nil {
			errOut = os.Stderr
		}
	}
	p.stderr = linechan.StartDrain(s.parent[2], j.cfg.CaptureStderr, errOut, j.cfg.StderrLimitBytes)
}

func wrapIO(op string, err error) error {
	switch {
	case err == nil, errors.Is(err, io.EOF):
		return err
	case errors.Is(err, linechan.ErrLineTooLong):
		return &Error{Op: op, Err: ErrLineTooLong}
	case errors.Is(err, linechan.ErrNewlineInLine):
		return &Error{Op: op, Err: ErrNewline}
	case errors.Is(err, syscall.EPIPE):
		return &Error{Op: op, Err: err, Hint: "the payload closed its stdin or exited; Wait for its usage"}
	}
	return &Error{Op: op, Err: err}
}
