package firejail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"strings"
	"syscall"
	"time"

	"github.com/procjail/procjail/internal/fsview"
)

// probeProgram is what the probe runs inside the sandbox.
const probeProgram = "/bin/true"

// Probe finds out whether the firejail at path (a name is looked up on
// PATH; "" means "firejail") can run procjail's Firejail command line
// here: it checks the version, then runs /bin/true under the command line
// Build makes for this caller (a minimal view, an empty network), within
// timeout. It never returns an error: Reason says what failed.
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
		return fmt.Errorf("firejail %s is too old: procjail needs %s or later", r.Version, MinVersion)
	}
	return nil
}

// probeInput is the Input of the probe's command line, for this caller.
func probeInput(firejailPath string) (Input, error) {
	plan, err := fsview.Build(fsview.Request{Runtime: probeProgram})
	if err != nil {
		return Input{}, fmt.Errorf("building the probe's view: %w", err)
	}
	u, err := user.Current()
	if err != nil {
		return Input{}, fmt.Errorf("finding the caller's home: %w", err)
	}
	root, err := ListRoot()
	if err != nil {
		return Input{}, err
	}
	return Input{FirejailPath: firejailPath, Plan: &plan, Argv: []string{probeProgram},
		Env: []string{"PATH=/usr/bin:/bin"}, Home: u.HomeDir, Root: root, UnshareNet: true,
		Limits: Limits{NoFile: 1024}, AsRoot: os.Geteuid() == 0}, nil
}

func runProbe(ctx context.Context, firejailPath string) error {
	in, err := probeInput(firejailPath)
	if err != nil {
		return err
	}
	c, err := Build(in)
	if err != nil {
		return err
	}
	var stderr bytes.Buffer
	if err := c.run(ctx, nil, &stderr); err != nil {
		return probeFailure(ctx, err, stderr.String())
	}
	return nil
}

// run starts c the way the package documentation requires (the
// Command's environment and descriptors only, a new session) and waits.
func (c Command) run(ctx context.Context, stdout, stderr *bytes.Buffer) error {
	files, err := c.OpenFiles()
	if err != nil {
		return err
	}
	defer CloseFiles(files)
	cmd := exec.CommandContext(ctx, c.Path, c.Args[1:]...)
	cmd.Env, cmd.ExtraFiles, cmd.Stderr = c.Env, files, stderr
	if stdout != nil {
		cmd.Stdout = stdout
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	cmd.WaitDelay = time.Second
	return cmd.Run()
}

func probeFailure(ctx context.Context, err error, stderr string) error {
	msg := strings.TrimSpace(stderr)
	if len(msg) > 500 {
		msg = msg[:500] + "..."
	}
	return fmt.Errorf("running %s under firejail: %w: %s", probeProgram, ctxErr(ctx, err), msg)
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
