package procjail

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/procjail/procjail/internal/netfwd"
	"github.com/procjail/procjail/internal/stage"
	"github.com/procjail/procjail/internal/stagebin"
)

// setupTimeout bounds how long a stage may take to build the sandbox.
const setupTimeout = 30 * time.Second

// killGrace is how long a stage gets to kill its tree and report before we
// kill it (and sweep) ourselves.
const killGrace = 3 * time.Second

// spawnThread runs every sandbox start on one locked OS thread that never
// exits: Pdeathsig fires when the *thread* that started the child exits, so
// starting from arbitrary goroutines could kill a sandbox early.
// The pool refills on a thread of its own, so a refill never delays a
// spawn.
var (
	spawnThread = sync.OnceValue(lockedThread)
	poolThread  = sync.OnceValue(lockedThread)
)

func lockedThread() chan func() {
	ch := make(chan func())
	go func() {
		runtime.LockOSThread()
		for f := range ch {
			f()
		}
	}()
	return ch
}

func onThread(thread chan func(), f func() error) error {
	done := make(chan error)
	thread <- func() { done <- f() }
	return <-done
}

// stageSup supervises a stage process from the parent.
type stageSup struct {
	cmd    *exec.Cmd
	ctl    *os.File
	dec    *json.Decoder
	encMu  sync.Mutex
	enc    *json.Encoder
	cfg    *Config
	sweep  func() // parent-side kill of whatever the stage left (nil: nothing can be left)
	once   sync.Once
	exited chan struct{}
	fwd    *netfwd.Forwarder // relays the allowed host loopback ports, or nil
	// wrapped: the stage's payload is bwrap or firejail, which exit with
	// 128+N when the sandboxed program was killed by signal N.
	wrapped bool
	group   *sandboxGroup // the sandbox's cgroup, or nil
}

func socketpair() (parent, child *os.File, err error) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, nil, err
	}
	if err := unix.SetNonblock(fds[0], true); err != nil {
		unix.Close(fds[0])
		unix.Close(fds[1])
		return nil, nil, err
	}
	return os.NewFile(uintptr(fds[0]), "procjail-control"), os.NewFile(uintptr(fds[1]), "procjail-control"), nil
}

// launched is a stage process started and waiting for its spec.
type launched struct {
	cmd    *exec.Cmd
	ctl    *os.File
	io     *stdio
	ids    sandboxIDs
	t0, t1 int64         // CLOCK_MONOTONIC around the clone
	warm   bool          // taken from the pool: cloned before Spawn was called
	group  *sandboxGroup // the cgroup a warm stage was born in, or nil
}

// launchStage clones and executes a stage with attr; it then waits for its
// spec on the control socket.
func launchStage(strategy Strategy, attr *syscall.SysProcAttr, thread chan func()) (*launched, error) {
	io, err := newStdio()
	if err != nil {
		return nil, err
	}
	ctlP, ctlC, err := socketpair()
	if err != nil {
		io.closeAll()
		return nil, &Error{Op: "spawn", Step: "socketpair", Err: err}
	}
	exe, _ := stagebin.Path()
	cmd := &exec.Cmd{
		Path: exe, Args: []string{stage.Arg0},
		Env:   []string{}, // the stage starts with an empty environment
		Stdin: io.child[0], Stdout: io.child[1], Stderr: io.child[2],
		ExtraFiles: []*os.File{ctlC}, SysProcAttr: attr,
	}
	l := &launched{cmd: cmd, ctl: ctlP, io: io, t0: stage.Monotonic()}
	err = onThread(thread, cmd.Start)
	l.t1 = stage.Monotonic()
	io.closeChild()
	ctlC.Close()
	if err != nil {
		io.closeAll()
		ctlP.Close()
		return nil, startError(strategy, err)
	}
	return l, nil
}

// discard kills and reaps a launched stage that will not be used.
func (l *launched) discard() {
	l.cmd.Process.Kill()
	l.cmd.Wait()
	l.ctl.Close()
	l.io.closeAll()
	if l.group != nil {
		l.group.g.Kill()
		l.group.g.Remove()
	}
}

// startStage starts a stage with attr, hands it spec and waits until the
// payload runs or setup failed.
func (j *job) startStage(strategy Strategy, spec *stage.Spec, attr *syscall.SysProcAttr, enf Enforcement, sweep func(*exec.Cmd) func()) (*Process, error) {
	j.prepared = time.Since(j.begun)
	j.group.cloneInto(attr)
	l, err := launchStage(strategy, attr, spawnThread())
	if err != nil {
		return nil, err
	}
	return j.runStage(l, strategy, spec, enf, sweep)
}

// runStage hands spec to a launched stage and waits until the payload runs
// or setup failed.
func (j *job) runStage(l *launched, strategy Strategy, spec *stage.Spec, enf Enforcement, sweep func(*exec.Cmd) func()) (*Process, error) {
	sent := stage.Monotonic()
	sup := &stageSup{cmd: l.cmd, ctl: l.ctl, dec: json.NewDecoder(l.ctl), enc: json.NewEncoder(l.ctl), cfg: &j.cfg, exited: make(chan struct{}), wrapped: spec.Wrap != nil || spec.Firejail != nil}
	if sweep != nil {
		sup.sweep = sweep(l.cmd)
	}
	if err := sup.enterGroup(j.group); err != nil {
		l.io.closeAll()
		return nil, err
	}
	started, err := sup.handshake(spec)
	if err != nil {
		l.io.closeAll()
		return nil, err
	}
	p := &Process{cfg: j.cfg, strategy: strategy, enforced: enf, start: j.begun, pid: l.cmd.Process.Pid, sup: sup, done: make(chan struct{})}
	p.steps = setupSteps(j.prepared, l, sent, started.Steps, stage.Monotonic())
	p.enforced.noteApplied(started.Applied)
	j.attach(p, l.io)
	p.armTimeout()
	j.group.watchCPU(p, time.Duration(j.cfg.MaxCPUSeconds)*time.Second)
	go p.watch()
	return p, nil
}

// enterGroup moves the stage into the sandbox's cgroup before it has the
// spec: it forks the payload only after, so nothing of the tree can start
// outside the group (cgroup v1 has no placement at clone time).
func (s *stageSup) enterGroup(g *sandboxGroup) error {
	if g == nil {
		return nil
	}
	s.group = g
	if g.placed {
		return nil
	}
	if err := g.g.AddProc(s.cmd.Process.Pid); err != nil {
		s.abort()
		return &Error{Op: "spawn", Step: "enter cgroup", Err: errorsJoinSetup(err)}
	}
	return nil
}

func startError(s Strategy, err error) error {
	e := &Error{Op: "spawn", Step: "start " + s.String() + " sandbox", Err: errors.Join(ErrSetup, err)}
	if s == Unshare && (errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.EACCES) || errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EINVAL)) {
		e.Hint = userNSHint()
	}
	return e
}

// handshake sends the spec and waits for Started or Failed.
func (s *stageSup) handshake(spec *stage.Spec) (*stage.Msg, error) {
	s.ctl.SetDeadline(time.Now().Add(setupTimeout))
	defer s.ctl.SetDeadline(time.Time{})
	var m stage.Msg
	err := s.enc.Encode(spec)
	if err == nil && len(spec.LocalhostPorts) > 0 {
		err = s.startForwarder()
	}
	if err == nil {
		err = s.dec.Decode(&m)
	}
	if err == nil && m.Type == stage.MsgStarted {
		return &m, nil
	}
	s.abort()
	if err != nil {
		return nil, &Error{Op: "spawn", Step: "stage handshake", Err: errors.Join(ErrSetup, err), Detail: s.exitDetail()}
	}
	return nil, setupError(&m)
}

// startForwarder receives the listening sockets the stage opened in the
// sandbox's network namespace and relays them to the host's loopback. When
// the stage failed before sending them, its Failed message follows.
func (s *stageSup) startForwarder() error {
	files, _, err := netfwd.RecvFDs(s.ctl, netfwd.MaxFDs)
	if errors.Is(err, netfwd.ErrNoFrame) {
		return nil
	}
	if err != nil {
		return err
	}
	if s.fwd, err = netfwd.NewForwarder(files, netfwd.Options{}); err != nil {
		return err
	}
	s.fwd.Start()
	return nil
}

// closeForwarder stops the relay (it holds the sandbox's listening
// sockets, and with them its network namespace) and returns its figures.
func (s *stageSup) closeForwarder() *LocalhostUsage {
	if s.fwd == nil {
		return nil
	}
	s.fwd.Close()
	return localhostUsage(s.fwd.Stats())
}

// setupSteps turns the parent's and the stage's timestamps into durations.
// A stage taken warm from the pool was cloned before Spawn: its clone and
// runtime start are reported as zero, the rest from the moment its spec
// was sent.
func setupSteps(prepared time.Duration, l *launched, sent int64, st []stage.Step, end int64) []SetupStep {
	out := []SetupStep{{Name: "prepare (parent)", Duration: prepared}}
	prev := l.t1
	if l.warm {
		out = append(out, SetupStep{Name: "warm stage taken from the pool"})
		prev = sent
	} else {
		out = append(out, SetupStep{Name: "clone and exec the stage", Duration: time.Duration(l.t1 - l.t0)})
	}
	for _, s := range st {
		d := time.Duration(s.At - prev)
		if s.At < prev {
			d = 0
		} else {
			prev = s.At
		}
		out = append(out, SetupStep{Name: s.Name, Duration: d})
	}
	return append(out, SetupStep{Name: "report to the parent", Duration: time.Duration(end - prev)})
}

func setupError(m *stage.Msg) error {
	var cause error = errors.New(m.Detail)
	if m.Errno != 0 {
		cause = fmt.Errorf("%s (%w)", m.Detail, syscall.Errno(m.Errno))
	}
	return &Error{Op: "spawn", Step: m.Step, Err: errors.Join(ErrSetup, cause), Hint: m.Hint}
}

// abort kills a stage that failed to start and reaps it.
func (s *stageSup) abort() {
	s.closeForwarder()
	if s.group != nil {
		s.group.g.Kill()
		defer s.group.g.Remove()
	}
	s.cmd.Process.Kill()
	s.cmd.Wait()
	if s.sweep != nil {
		s.sweep()
	}
	s.ctl.Close()
	close(s.exited)
}

func (s *stageSup) exitDetail() string {
	if s.cmd.ProcessState != nil {
		return "stage " + s.cmd.ProcessState.String()
	}
	return ""
}

func (s *stageSup) kill() {
	s.once.Do(func() {
		s.encMu.Lock()
		s.ctl.SetWriteDeadline(time.Now().Add(killGrace))
		s.enc.Encode(stage.Msg{Type: stage.MsgKill})
		s.encMu.Unlock()
		go s.hardKillAfter(killGrace)
	})
}

// hardKillAfter kills the stage itself if it has not reported by then.
func (s *stageSup) hardKillAfter(d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-s.exited:
	case <-t.C:
		s.cmd.Process.Kill()
		if s.group != nil {
			s.group.g.Kill()
		}
	}
}

// wait reads the stage's report until it closes the socket, reaps the
// stage, sweeps and computes the usage.
func (s *stageSup) wait() (Usage, error) {
	var exit *stage.Msg
	for {
		var m stage.Msg
		if err := s.dec.Decode(&m); err != nil {
			break
		}
		if m.Type == stage.MsgExit {
			exit = &m
		}
	}
	werr := s.cmd.Wait()
	close(s.exited)
	s.ctl.Close()
	if s.sweep != nil {
		s.sweep()
	}
	fwd := s.closeForwarder()
	u := s.lostUsage(werr)
	if exit != nil {
		u = usageFromExit(exit, s.cfg, s.wrapped)
	}
	u.Localhost = fwd
	s.group.finish(&u)
	return u, nil
}

func (s *stageSup) lostUsage(werr error) Usage {
	u := Usage{Reason: ExitLost, ExitCode: -1, Source: "rusage", Detail: "the sandbox supervisor ended without a report"}
	if st := s.cmd.ProcessState; st != nil {
		u.Detail += ": " + st.String()
		if ru, ok := st.SysUsage().(*syscall.Rusage); ok {
			u.UserCPU, u.SysCPU = Duration(ru.Utime.Nano()), Duration(ru.Stime.Nano())
			u.PeakRSS = uint64(ru.Maxrss) * 1024
		}
	} else if werr != nil {
		u.Detail += ": " + werr.Error()
	}
	return u
}

func usageFromExit(m *stage.Msg, cfg *Config, wrapped bool) (u Usage) {
	ws := syscall.WaitStatus(m.Status)
	if code := ws.ExitStatus(); wrapped && ws.Exited() && code > 128 && code < 128+65 {
		// bwrap reports a signal N as exit status 128+N; a program that
		// exits with such a code looks the same (noted in Detail).
		ws = syscall.WaitStatus(code - 128)
		defer func() {
			u.Detail = fmt.Sprintf("exit status %d of the external sandbox read as signal %d", code, code-128)
		}()
	}
	u = Usage{UserCPU: Duration(m.UtimeNs), SysCPU: Duration(m.StimeNs), PeakRSS: uint64(m.MaxRSS), Source: "rusage"}
	switch {
	case ws.Exited():
		u.Reason, u.ExitCode = ExitNormal, ws.ExitStatus()
	case ws.Signaled():
		sig := ws.Signal()
		u.Reason, u.ExitCode, u.Signal = ExitSignaled, 128+int(sig), unix.SignalName(sig)
		cpuLimit := time.Duration(cfg.MaxCPUSeconds) * time.Second
		switch {
		case m.Killed:
			u.Reason = ExitKilled
		case sig == syscall.SIGXCPU, sig == syscall.SIGKILL && u.CPU() >= cpuLimit:
			u.Reason = ExitCPULimit
		}
	}
	return u
}
