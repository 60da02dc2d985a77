//go:build linux && (amd64 || arm64)

package seccomp

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// childEnv selects, in a re-executed copy of the test binary, which child
// body runs instead of the tests.
const childEnv = "PROCJAIL_SECCOMP_TEST_CHILD"

// children are the bodies a re-executed test binary can run, by name.
var children = map[string]func() error{}

func TestMain(m *testing.M) {
	if mode, ok := os.LookupEnv(childEnv); ok {
		os.Exit(runChild(mode))
	}
	os.Exit(m.Run())
}

func runChild(mode string) int {
	body, ok := children[mode]
	if !ok {
		fmt.Fprintf(os.Stderr, "unknown child mode %q\n", mode)
		return 2
	}
	if err := body(); err != nil {
		fmt.Fprintf(os.Stderr, "child %s: %v\n", mode, err)
		return 1
	}
	return 0
}

// confine does what procjail's init stage does before exec: lock the
// goroutine to its thread, set no_new_privs and install prog there.
func confine(prog []SockFilter) error {
	if err := lockAndNoNewPrivs(); err != nil {
		return err
	}
	return Install(prog)
}

// lockAndNoNewPrivs locks the goroutine to its thread for good and sets
// no_new_privs.
func lockAndNoNewPrivs() error {
	runtime.LockOSThread() // never unlocked: the thread dies with the process
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		return fmt.Errorf("setting no_new_privs: %w", err)
	}
	return nil
}

// confineDefault confines the calling thread with the default policy.
func confineDefault() error {
	prog, err := Compile(DefaultRules(), Allow)
	if err != nil {
		return err
	}
	return confine(prog)
}

// child is a finished re-executed test binary.
type child struct {
	stdout, stderr string
	state          *os.ProcessState
}

// startChild re-executes the test binary as child body mode, with the
// current test selected by -test.run and the mode by childEnv.
func startChild(t *testing.T, mode string, setup func(*exec.Cmd)) child {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatalf("finding the test binary: %v", err)
	}
	top, _, _ := strings.Cut(t.Name(), "/")
	cmd := exec.Command(exe, "-test.run=^"+top+"$")
	cmd.Env = append(os.Environ(), childEnv+"="+mode)
	cmd.Dir = t.TempDir()
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if setup != nil {
		setup(cmd)
	}
	var exitErr *exec.ExitError
	if err := cmd.Run(); err != nil && !errors.As(err, &exitErr) {
		t.Fatalf("running child %s: %v", mode, err)
	}
	return child{stdout.String(), stderr.String(), cmd.ProcessState}
}

func (c child) mustSucceed(t *testing.T) {
	t.Helper()
	if !c.state.Success() {
		t.Fatalf("child failed: %v\nstdout:\n%s\nstderr:\n%s", c.state, c.stdout, c.stderr)
	}
}

// errName names a system call's outcome: "ok" or the errno's name.
func errName(err error) string {
	var e unix.Errno
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &e):
		return unix.ErrnoName(e)
	}
	return err.Error()
}

// errnoOf turns a raw system call's errno into an error.
func errnoOf(e unix.Errno) error {
	if e == 0 {
		return nil
	}
	return e
}
