package stage

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/procjail/procjail/internal/fsview"
	"github.com/procjail/procjail/internal/wrap/bwrap"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"
)

// IsStage reports whether this process was started as a procjail stage.
func IsStage() bool { return len(os.Args) > 0 && os.Args[0] == Arg0 }

// Main runs the stage and exits. It must be called before anything else in
// the process does work: procjail calls it from its package initialiser.
func Main() {
	// Every step below runs on the main thread, locked: no_new_privs,
	// capabilities, Landlock and seccomp are per-thread, and the payload
	// is forked from this thread so it inherits exactly them.
	runtime.LockOSThread()
	// Nothing the caller leaked (fds without close-on-exec) may reach the
	// payload (runc CVE-2024-21626).
	_ = unix.CloseRange(ControlFD, ^uint(0), unix.CLOSE_RANGE_CLOEXEC)
	ctl := os.NewFile(ControlFD, "procjail-control")
	s := &stage{ctl: ctl, enc: json.NewEncoder(ctl)}
	warmUp()
	s.prepareView()
	s.step("stage runtime started")
	os.Exit(s.run())
}

type stage struct {
	spec      Spec
	ctl       *os.File
	enc       *json.Encoder
	applied   []string
	steps     []Step
	wrapFiles []*os.File          // descriptors for bwrap (Bubblewrap only)
	prep      *fsview.Preparation // the view's plan-independent start, done early
	prepErr   error
}

// step records the end of a setup step.
func (s *stage) step(name string) { s.steps = append(s.steps, Step{Name: name, At: Monotonic()}) }

// Monotonic returns CLOCK_MONOTONIC in nanoseconds.
func Monotonic() int64 {
	var ts unix.Timespec
	_ = unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts)
	return ts.Nano()
}

func (s *stage) send(m Msg) { _ = s.enc.Encode(m) }

func (s *stage) run() int {
	dec := json.NewDecoder(s.ctl)
	if err := dec.Decode(&s.spec); err != nil {
		s.send(Fail(Errorf("read spec", "", "%v", err)))
		return 125
	}
	s.step("spec read")
	pid, err := s.start()
	if err != nil {
		s.send(Fail(err))
		return 125
	}
	s.step("payload forked")
	s.send(Msg{Type: MsgStarted, Pid: pid, Applied: s.applied, Steps: s.steps})
	return s.supervise(pid, dec)
}

// start builds the sandbox and starts the payload. The order matters and
// each step says why.
func (s *stage) start() (int, error) {
	// The payload must not be able to ptrace us, read our memory or
	// /proc/self/* (CVE-2019-5736 class): not dumpable.
	if err := unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0); err != nil {
		return 0, Errorf("prctl(PR_SET_DUMPABLE)", "", "%w", err)
	}
	// Signals from inside the sandbox must not stop the supervisor; the
	// parent talks to us over the control socket instead.
	ignoreSignals()
	if err := s.prepare(); err != nil {
		return 0, err
	}
	if err := s.openWrapFiles(); err != nil {
		return 0, err
	}
	if err := s.setRlimits(s.spec.Rlimits); err != nil {
		return 0, err
	}
	s.step("rlimits")
	if err := s.restrictThread(); err != nil {
		return 0, err
	}
	return s.forkPayload()
}

func ignoreSignals() {
	signal.Ignore(syscall.SIGHUP, syscall.SIGINT, syscall.SIGQUIT, syscall.SIGTERM,
		syscall.SIGUSR1, syscall.SIGUSR2, syscall.SIGPIPE, syscall.SIGALRM,
		syscall.SIGTSTP, syscall.SIGTTIN, syscall.SIGTTOU, syscall.SIGXCPU,
		syscall.SIGXFSZ, syscall.SIGVTALRM, syscall.SIGPROF, syscall.SIGWINCH)
}

func (s *stage) setRlimits(rl []Rlimit) error {
	for _, r := range rl {
		if r.Resource == unix.RLIMIT_DATA {
			// RLIMIT_DATA is per process but we set it on ourselves
			// before forking: keep room for our own runtime (a race-
			// instrumented build maps far more), and say so.
			if need := uint64(vmData()) + 32<<20; need > r.Cur {
				r.Cur, r.Max = need, need
				s.applied = append(s.applied, fmt.Sprintf("rlimit-data-raised:%d", need))
			}
		}
		if r.Resource == unix.RLIMIT_NOFILE && len(s.wrapFiles) > 0 {
			// bwrap (firejail) receives a descriptor per bind (its
			// profile) and opens more while it builds the sandbox:
			// below that it cannot start.
			if need := uint64(len(s.wrapFiles) + 3 + wrapFDHeadroom); need > r.Cur {
				r.Cur, r.Max = need, need
				if s.spec.Wrap != nil { // firejail sets max_fds again itself
					s.applied = append(s.applied, fmt.Sprintf("rlimit-nofile-raised:%d", need))
				}
			}
		}
		if r.Resource == unix.RLIMIT_NPROC && os.Geteuid() != 0 {
			// We count against the limit too: leave room for our own
			// threads, or the Go runtime could not start one.
			n := uint64(threads() + stageThreadHeadroom)
			r.Cur, r.Max = r.Cur+n, r.Max+n
		}
		lim := syscall.Rlimit{Cur: r.Cur, Max: r.Max}
		// syscall.Setrlimit (not x/sys) so the Go runtime forgets the
		// NOFILE value it would otherwise restore in the child.
		if err := syscall.Setrlimit(r.Resource, &lim); err != nil {
			return Errorf("setrlimit", "", "resource %d to %d: %w", r.Resource, r.Cur, err)
		}
	}
	return nil
}

// stageThreadHeadroom is how many more threads the stage may start after
// setting RLIMIT_NPROC (its reaper and control reader block in syscalls).
const stageThreadHeadroom = 8

// vmData returns our data segment size (VmData) in bytes.
func vmData() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	i := bytes.Index(b, []byte("\nVmData:"))
	if i < 0 {
		return 0
	}
	f := bytes.Fields(b[i+8:])
	if len(f) == 0 {
		return 0
	}
	kb, _ := strconv.ParseInt(string(f[0]), 10, 64)
	return kb << 10
}

func threads() int {
	ents, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return 16
	}
	return len(ents)
}

// forkPayload starts the payload from this (restricted) thread.
func (s *stage) forkPayload() (int, error) {
	// Its own process group: signals to our group never hit us. If we die
	// (a payload sharing our uid can SIGKILL us without a pid namespace),
	// the payload dies too; its descendants stay in our session, which the
	// parent sweeps.
	sys := &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if s.spec.UID >= 0 {
		sys.Credential = &syscall.Credential{Uid: uint32(s.spec.UID), Gid: uint32(s.spec.GID), Groups: []uint32{}}
	}
	if s.spec.Wrap != nil || s.spec.Firejail != nil {
		return s.forkWrapper(sys)
	}
	attr := &syscall.ProcAttr{Dir: s.spec.Dir, Env: s.spec.Env, Files: []uintptr{0, 1, 2}, Sys: sys}
	pid, err := syscall.ForkExec(s.spec.Path, s.spec.Argv, attr)
	if err != nil {
		return 0, execError(s.spec.Path, err)
	}
	return pid, nil
}

// wrapFDHeadroom is how many descriptors bwrap may open beyond those it
// is given.
const wrapFDHeadroom = 32

// openWrapFiles opens the descriptors bwrap's command line refers to,
// before the limits are set.
func (s *stage) openWrapFiles() error {
	var files []*os.File
	var err error
	switch {
	case s.spec.Wrap != nil:
		files, err = s.spec.Wrap.OpenFiles()
	case s.spec.Firejail != nil:
		files, err = s.spec.Firejail.OpenFiles()
	default:
		return nil
	}
	if err != nil {
		return &StepError{Step: s.spec.Kind + " descriptors", Err: err}
	}
	s.wrapFiles = files
	return nil
}

// wrapper returns the command of the external sandbox the stage runs.
func (s *stage) wrapper() (path string, args, env []string) {
	if w := s.spec.Wrap; w != nil {
		return w.Path, w.Args, w.Env
	}
	f := s.spec.Firejail
	return f.Path, f.Args, f.Env
}

// forkWrapper starts bwrap as the payload: with an empty environment (the
// payload's is in its options), and exactly the descriptors its command
// line refers to, as fds 3 and up.
func (s *stage) forkWrapper(sys *syscall.SysProcAttr) (int, error) {
	path, args, env := s.wrapper()
	defer bwrap.CloseFiles(s.wrapFiles)
	fds := []uintptr{0, 1, 2}
	for _, f := range s.wrapFiles {
		fds = append(fds, f.Fd())
	}
	attr := &syscall.ProcAttr{Dir: "/", Env: env, Files: fds, Sys: sys}
	pid, err := syscall.ForkExec(path, args, attr)
	if err != nil {
		return 0, execError(path, err)
	}
	return pid, nil
}

func execError(path string, err error) error {
	switch {
	case errors.Is(err, syscall.ENOENT):
		return &StepError{Step: "exec " + path, Err: err, Hint: "the runtime or its interpreter is not visible inside the sandbox; use an absolute path to a binary under /usr or add its directory to readonly_mounts"}
	case errors.Is(err, syscall.EACCES):
		return &StepError{Step: "exec " + path, Err: err, Hint: "the sandbox uid cannot execute it: check the permissions of the file and every directory above it (they must be world-readable when the caller is root)"}
	}
	return &StepError{Step: "exec " + path, Err: err}
}
