package procjail

import (
	"context"
	"sync"
	"time"

	"github.com/procjail/procjail/internal/linechan"
)

// IO is the line channel with a sandboxed process, as in the original's
// SandboxedIO. *Process implements it; procjailtest.Fake is an in-memory
// implementation for tests of code that drives a harness.
type IO interface {
	// Send writes one line (a newline is appended; the line must not
	// contain one).
	Send(line string) error
	// Recv returns the next line without its newline, or io.EOF.
	Recv() (string, error)
	// Kill ends the whole sandboxed tree.
	Kill() error
	// Alive reports whether the sandbox is still running.
	Alive() bool
}

// Process is a running sandbox: its payload, its channel, its supervisor.
// Create it with Spawn. Its methods are safe for concurrent use: one
// goroutine may Recv while another Sends or Kills. Close (or Kill then Wait)
// must be called to release it; a Process that is garbage without Close
// leaks its sandbox until the caller exits (the caller's death kills it).
type Process struct {
	cfg      Config
	strategy Strategy
	enforced Enforcement
	start    time.Time
	pid      int

	stdin  *linechan.Writer
	stdout *linechan.Reader
	stderr *linechan.Drain
	copied chan struct{} // closed when WithStdio's stdout copy ends (nil otherwise)

	sup   supervisor
	steps []SetupStep

	mu       sync.Mutex
	reason   ExitReason // why we killed it (timeout, killed), "" if we did not
	timer    *time.Timer
	done     chan struct{} // closed when usage and waitErr are final
	usage    Usage
	waitErr  error
	closeErr error
	closed   bool
}

// supervisor is the strategy-specific side of a running sandbox.
type supervisor interface {
	// kill asks for the whole tree to be killed; it does not wait.
	kill()
	// wait blocks until the sandbox is gone and returns its usage.
	wait() (Usage, error)
}

// SetupStep is one step of building a sandbox and how long it took.
type SetupStep struct {
	Name     string        `json:"name"`
	Duration time.Duration `json:"duration_ns"`
}

// SetupSteps returns how long each step of building the sandbox took, from
// preparing the request in the caller to the payload running: a breakdown
// for diagnosing slow spawns.
func (p *Process) SetupSteps() []SetupStep { return p.steps }

// Strategy returns the strategy the sandbox runs under.
func (p *Process) Strategy() Strategy { return p.strategy }

// Enforced returns what the sandbox really enforces.
func (p *Process) Enforced() Enforcement { return p.enforced }

// Pid returns the host pid of the sandbox's supervisor process.
func (p *Process) Pid() int { return p.pid }

// Send writes one line to the payload's stdin. A line containing a newline
// is rejected with ErrNewline before anything is written.
func (p *Process) Send(line string) error { return p.SendContext(context.Background(), line) }

// SendContext is Send bounded by ctx (a payload that never reads its stdin
// cannot block the caller past ctx's deadline).
func (p *Process) SendContext(ctx context.Context, line string) error {
	if p.stdin == nil {
		return &Error{Op: "send", Err: ErrClosed}
	}
	return wrapIO("send", p.stdin.WriteLine(ctx, line))
}

// Recv returns the next line from the payload's stdout, without its
// newline; io.EOF when stdout is closed. A line longer than
// Config.MaxLineBytes gives ErrLineTooLong. Recv is bounded by the
// sandbox's Timeout: when it expires the tree is killed and Recv returns
// io.EOF.
func (p *Process) Recv() (string, error) { return p.RecvContext(context.Background()) }

// RecvContext is Recv bounded by ctx.
func (p *Process) RecvContext(ctx context.Context) (string, error) {
	if p.stdout == nil {
		return "", &Error{Op: "recv", Err: ErrStdoutRedirected}
	}
	line, err := p.stdout.ReadLine(ctx)
	return line, wrapIO("recv", err)
}

// RecvTimeout is Recv bounded by d.
func (p *Process) RecvTimeout(d time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	return p.RecvContext(ctx)
}

// SendRecv sends a line and returns the reply.
func (p *Process) SendRecv(line string) (string, error) {
	if err := p.Send(line); err != nil {
		return "", err
	}
	return p.Recv()
}

// CloseStdin closes the payload's stdin (it reads end-of-file).
func (p *Process) CloseStdin() error {
	if p.stdin == nil {
		return nil
	}
	return p.stdin.Close()
}

// Stderr returns the captured stderr (Config.CaptureStderr): the first and
// last bytes, with a marker for what was dropped in between. It is nil
// when stderr is passed through.
func (p *Process) Stderr() []byte {
	if p.stderr == nil || !p.cfg.CaptureStderr {
		return nil
	}
	return p.stderr.Bytes()
}

// Kill kills the whole sandboxed tree. It does not wait; call Wait for the
// usage. Killing a finished sandbox is not an error.
func (p *Process) Kill() error {
	p.killFor(ExitKilled)
	return nil
}

func (p *Process) killFor(reason ExitReason) {
	p.mu.Lock()
	if p.reason == "" && !p.finished() {
		p.reason = reason
	}
	p.mu.Unlock()
	p.sup.kill()
}

func (p *Process) finished() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Alive reports whether the sandbox is still running.
func (p *Process) Alive() bool { return !p.finished() }

// Wait waits for the sandbox to end and returns its usage. The timeout
// stays armed while Wait blocks. Wait may be called more than once and
// from several goroutines; all get the same result. A non-nil error means
// the usage could not be obtained; a payload that exits non-zero is not an
// error (see Usage.Reason and ExitCode).
func (p *Process) Wait() (Usage, error) {
	<-p.done
	return p.usage, p.waitErr
}

// WaitContext is Wait bounded by ctx; when ctx ends first, the sandbox
// keeps running and ctx's error is returned.
func (p *Process) WaitContext(ctx context.Context) (Usage, error) {
	select {
	case <-p.done:
		return p.usage, p.waitErr
	case <-ctx.Done():
		return Usage{}, ctx.Err()
	}
}

// Close kills the sandbox if it is still running, waits for it and
// releases every resource. It is safe to call more than once.
func (p *Process) Close() error {
	p.Kill()
	_, err := p.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.closed {
		p.closed = true
		p.closeErr = err
		p.releaseIO()
	}
	return p.closeErr
}

func (p *Process) releaseIO() {
	if p.stdin != nil {
		p.stdin.Close()
	}
	if p.stdout != nil {
		p.stdout.Close()
	}
}

// watch waits for the supervisor, then finalises the usage.
func (p *Process) watch() {
	u, err := p.sup.wait()
	p.drainOutput()
	p.mu.Lock()
	if p.timer != nil {
		p.timer.Stop()
	}
	u.Wall = Duration(time.Since(p.start))
	if p.reason != "" && (u.Reason == ExitSignaled || u.Reason == ExitKilled || u.Reason == ExitLost) {
		u.Reason = p.reason // we ended it; Detail keeps what the supervisor said, if anything
	}
	p.usage, p.waitErr = u, err
	p.mu.Unlock()
	close(p.done)
	sandboxEnded(p.strategy)
}

// outputGrace bounds how long Wait waits, once the supervisor is gone, for
// the payload's stderr (and WithStdio's stdout) to reach end-of-file: a
// process that escaped the tree kill while holding them must not hang the
// caller.
const outputGrace = 2 * time.Second

func (p *Process) drainOutput() {
	t := time.NewTimer(outputGrace)
	defer t.Stop()
	if p.stderr != nil {
		done := make(chan struct{})
		go func() { p.stderr.Wait(); close(done) }()
		select {
		case <-done:
		case <-t.C:
			p.stderr.Close()
			<-done
		}
	}
	if p.copied != nil {
		select {
		case <-p.copied:
		case <-t.C:
		}
	}
}

func (p *Process) armTimeout() {
	if p.cfg.Timeout > 0 {
		p.timer = time.AfterFunc(p.cfg.Timeout, func() { p.killFor(ExitTimeout) })
	}
}

var _ IO = (*Process)(nil)
