package procjail

import (
	"os/exec"
	"sync"
	"syscall"
	"time"

	"github.com/procjail/procjail/internal/stage"
	"github.com/procjail/procjail/internal/wrap/bwrap"
)

// bwrapProbe runs bubblewrap once with the exact command line shape the
// strategy uses (a minimal view, procjail's filter), bounded in time.
var bwrapProbe = sync.OnceValue(func() bwrap.ProbeResult {
	// Looked up in PATH: a tool that is not there counts as missing.
	return bwrap.Probe("bwrap", 10*time.Second)
})

func bubblewrapFeature() Feature {
	r := bwrapProbe()
	f := Feature{Available: r.Present && r.Working, Detail: r.Version, Reason: r.Reason}
	if r.Setuid {
		f.Detail += " (setuid)"
	}
	if !f.Available && f.Reason == "" {
		f.Reason = "bwrap is not installed"
	}
	if !f.Available {
		f.Hint = "install bubblewrap " + bwrap.MinVersion + " or later (apt-get install bubblewrap)"
	}
	return f
}

// startBubblewrap runs the payload under bwrap, itself started by a stage
// that applies the limits, closes stray descriptors, supervises and
// reports (bwrap's own launcher exits with the payload, so the figures are
// what the stage reaps).
func (j *job) startBubblewrap(enf Enforcement, ids sandboxIDs) (*Process, error) {
	plan, err := cachedPlan(j.viewRequest())
	if err != nil {
		return nil, &Error{Op: "spawn", Step: "filesystem view", Err: errorsJoinSetup(err)}
	}
	argv := append([]string{j.runtime}, j.argv[1:]...)
	// With allow_localhost the stage is cloned into a user and network
	// namespace of its own, where it sets up the forwarded ports; bwrap,
	// started inside it as uid 1000, shares that network namespace.
	fwd := j.cfg.AllowLocalhost
	cmd, err := bwrap.Build(bwrap.Input{
		BwrapPath: bwrapProbe().Path, Plan: &plan, Argv: argv,
		Env: sandboxHome(j.env, j.cfg.EnvSet), Dir: j.workDir,
		UID: sandboxUID, GID: sandboxGID, Hostname: sandboxHostname,
		UnshareNet: !fwd, Seccomp: j.seccompProgram(false),
		AsRoot: ids.dedicated && !fwd, HostUID: ids.uid, HostGID: ids.gid,
	})
	if err != nil {
		return nil, &Error{Op: "spawn", Step: "bubblewrap command", Err: errorsJoinSetup(err)}
	}
	spec := j.baseSpec(stage.KindBubblewrap, ids)
	spec.Wrap = &cmd
	attr := &syscall.SysProcAttr{Setsid: true}
	if fwd {
		spec.LocalhostPorts = j.cfg.AllowLocalhostPorts
		spec.UID, spec.GID = -1, -1 // already the sandbox's uid in its namespace
		attr = netnsAttr(ids)
	}
	return j.startStage(Bubblewrap, spec, attr, enf, func(c *exec.Cmd) func() {
		return rlimitsSweeper(c.Process.Pid, ids)
	})
}

// netnsAttr clones a stage into a user and network namespace of its own,
// as uid 1000 mapped to ids, keeping only CAP_NET_ADMIN (for its loopback)
// in that namespace.
func netnsAttr(ids sandboxIDs) *syscall.SysProcAttr {
	a := unshareAttr(ids)
	a.Cloneflags = syscall.CLONE_NEWUSER | syscall.CLONE_NEWNET
	a.AmbientCaps = []uintptr{capNetAdmin}
	a.Pdeathsig = 0 // the stage must live to kill the tree when the caller dies
	return a
}
