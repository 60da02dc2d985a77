package bwrap

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"github.com/procjail/procjail/internal/fsview"
	"github.com/procjail/procjail/internal/seccomp"
)

// probeProgram is what the probe runs inside the sandbox.
const probeProgram = "/bin/true"

// Probe finds out whether the bwrap at path (a name is looked up on PATH;
// "" means "bwrap") can run procjail's Bubblewrap command line here: it
// checks the version, then runs /bin/true under the full command line
// Build makes (a minimal view, an empty network namespace, procjail's
// seccomp filter, and as root an unprivileged host uid), within timeout.
// It never returns an error: Reason says what failed.
func Probe(path string, timeout time.Duration) ProbeResult {
	r := lookup(path)
	if !r.Present {
		return r
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := r.checkVersion(ctx); err != nil {
		r.Reason = err.Error()
		return r
	}
	if err := runProbe(ctx, r.Path); err != nil {
		r.Reason = err.Error()
		return r
	}
	r.Working = true
	return r
}

func (r *ProbeResult) checkVersion(ctx context.Context) error {
	cmd := exec.CommandContext(ctx, r.Path, "--version")
	cmd.Env, cmd.WaitDelay = []string{}, time.Second
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("%s --version: %w%s", r.Path, ctxErr(ctx, err), stderrOf(err))
	}
	if r.Version, err = parseVersion(string(out)); err != nil {
		return fmt.Errorf("%s: %w", r.Path, err)
	}
	if !versionAtLeast(r.Version, MinVersion) {
		return fmt.Errorf("bubblewrap %s is too old: procjail needs %s or later (for --size and --disable-userns)", r.Version, MinVersion)
	}
	return nil
}

// probeInput is the Input of the probe's command line.
func probeInput(bwrapPath string) (Input, error) {
	plan, err := fsview.Build(fsview.Request{Runtime: probeProgram, UID: 1000, GID: 1000})
	if err != nil {
		return Input{}, fmt.Errorf("building the probe's view: %w", err)
	}
	in := Input{BwrapPath: bwrapPath, Plan: &plan, Argv: []string{probeProgram}, UID: 1000, GID: 1000, UnshareNet: true}
	if prog, err := seccomp.Compile(seccomp.DefaultRules(), seccomp.Allow); err == nil {
		in.Seccomp = seccomp.Encode(prog)
	}
	if os.Geteuid() == 0 {
		in.AsRoot, in.HostUID, in.HostGID = true, ProbeHostID, ProbeHostID
	}
	return in, nil
}

func runProbe(ctx context.Context, bwrapPath string) error {
	in, err := probeInput(bwrapPath)
	if err != nil {
		return err
	}
	c, err := Build(in)
	if err != nil {
		return err
	}
	var stderr bytes.Buffer
	err = c.run(ctx, &stderr)
	if err != nil {
		return probeFailure(ctx, err, stderr.String())
	}
	return nil
}

// run starts c the way the package documentation requires and waits.
func (c Command) run(ctx context.Context, stderr *bytes.Buffer) error {
	files, err := c.OpenFiles()
	if err != nil {
		return err
	}
	defer CloseFiles(files)
	cmd := exec.CommandContext(ctx, c.Path, c.Args[1:]...)
	cmd.Env, cmd.ExtraFiles, cmd.Stderr = c.Env, files, stderr
	cmd.SysProcAttr = c.sysProcAttr()
	cmd.WaitDelay = time.Second
	return cmd.Run()
}

// sysProcAttr starts bwrap in its own process group, as Credential when
// set.
func (c Command) sysProcAttr() *syscall.SysProcAttr {
	attr := &syscall.SysProcAttr{Setpgid: true}
	if c.Credential != nil {
		attr.Credential = &syscall.Credential{Uid: uint32(c.Credential.UID), Gid: uint32(c.Credential.GID), Groups: []uint32{}}
	}
	return attr
}

func probeFailure(ctx context.Context, err error, stderr string) error {
	msg := strings.TrimSpace(stderr)
	if len(msg) > 500 {
		msg = msg[:500] + "..."
	}
	err = fmt.Errorf("running %s under bwrap: %w: %s", probeProgram, ctxErr(ctx, err), msg)
	if strings.Contains(msg, "namespace") || strings.Contains(msg, "uid map") || strings.Contains(msg, "Operation not permitted") {
		err = fmt.Errorf("%w (hint: unprivileged user namespaces look disabled or restricted: check the sysctls kernel.unprivileged_userns_clone and user.max_user_namespaces, AppArmor's restrict_unprivileged_userns on Ubuntu 23.10+, or the container's seccomp profile)", err)
	}
	return err
}

// stderrOf is the standard error an exec.Cmd.Output failure captured,
// as ": text".
func stderrOf(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) && len(bytes.TrimSpace(ee.Stderr)) > 0 {
		return ": " + string(bytes.TrimSpace(ee.Stderr))
	}
	return ""
}

// ctxErr reports a timeout as such rather than as "signal: killed".
func ctxErr(ctx context.Context, err error) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("timed out: %w", ctx.Err())
	}
	return err
}
