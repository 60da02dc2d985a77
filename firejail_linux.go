package procjail

import (
	"os"
	"os/exec"
	"os/user"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/procjail/procjail/internal/stage"
	"github.com/procjail/procjail/internal/wrap/firejail"
)

var firejailProbe = sync.OnceValue(func() firejail.ProbeResult {
	// Looked up in PATH: a tool that is not there counts as missing.
	return firejail.Probe("firejail", 10*time.Second)
})

func firejailFeature() Feature {
	r := firejailProbe()
	f := Feature{Available: r.Present && r.Working, Detail: r.Version, Reason: r.Reason}
	if r.Setuid {
		f.Detail += " (setuid)"
	}
	if !f.Available && f.Reason == "" {
		f.Reason = "firejail is not installed"
	}
	if !f.Available {
		f.Hint = "install firejail " + firejail.MinVersion + " or later (apt-get install firejail); it refuses to run as the user nobody"
	}
	return f
}

// startFirejail runs the payload under firejail, started by a stage that
// applies the limits, supervises and reports. firejail is setuid root and
// needs a password-database entry for the caller: it runs as the caller,
// never as a dedicated uid, so a root caller's payload stays root (say so
// in Enforced()).
func (j *job) startFirejail(enf Enforcement) (*Process, error) {
	if j.cfg.AllowLocalhost {
		return nil, &Error{Op: "spawn", Field: "allow_localhost", Err: ErrStrategyUnavailable,
			Detail: "forwarding the host's loopback ports is not available under firejail",
			Hint:   "use strategy unshare for allow_localhost"}
	}
	cmd, err := j.firejailCommand()
	if err != nil {
		return nil, &Error{Op: "spawn", Step: "firejail command", Err: errorsJoinSetup(err)}
	}
	spec := j.baseSpec(stage.KindFirejail, sandboxIDs{uid: os.Getuid(), gid: os.Getgid()})
	spec.Firejail = &cmd
	spec.NoNewPrivs = false // firejail is setuid: it sets no_new_privs for the payload itself
	attr := &syscall.SysProcAttr{Setsid: true}
	return j.startStage(Firejail, spec, attr, enf, func(c *exec.Cmd) func() {
		return rlimitsSweeper(c.Process.Pid, sandboxIDs{})
	})
}

func (j *job) firejailCommand() (firejail.Command, error) {
	plan, err := cachedPlan(j.viewRequest())
	if err != nil {
		return firejail.Command{}, err
	}
	root, err := firejail.ListRoot()
	if err != nil {
		return firejail.Command{}, err
	}
	home := "/"
	if u, err := user.Current(); err == nil {
		home = u.HomeDir
	}
	c := &j.cfg
	// Inside, the home is firejail's empty private one, at the caller's
	// password-database home; a HOME elsewhere makes firejail fail.
	env := j.env
	if _, set := c.EnvSet["HOME"]; !set {
		env = append(slices.DeleteFunc(slices.Clone(env), func(kv string) bool { return strings.HasPrefix(kv, "HOME=") }), "HOME="+home)
	}
	return firejail.Build(firejail.Input{
		FirejailPath: firejailProbe().Path, Plan: &plan,
		Argv: append([]string{j.runtime}, j.argv[1:]...), Env: env, Dir: j.workDir,
		Home: home, Root: root, UnshareNet: true, Hostname: sandboxHostname,
		Limits: firejail.Limits{NoFile: c.MaxFDs, CPUSeconds: c.MaxCPUSeconds, FileSize: c.MaxDiskBytes},
		AsRoot: os.Geteuid() == 0,
	})
}
