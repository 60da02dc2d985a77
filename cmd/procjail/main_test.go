package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/procjail/procjail/internal/testutil"
)

// binEnv passes the binary the root run built to the unprivileged re-run
// (which cannot build: the toolchain's caches belong to root).
const binEnv = "PROCJAIL_CLI_TEST_BIN"

// cliBin is the procjail binary under test, built once.
var cliBin string

func TestMain(m *testing.M) {
	cliBin = os.Getenv(binEnv)
	if cliBin == "" {
		dir, err := buildCLI()
		if err != nil {
			fmt.Fprintln(os.Stderr, "building procjail:", err)
			os.Exit(1)
		}
		cliBin = filepath.Join(dir, "procjail")
		os.Setenv(binEnv, cliBin)
		removeAfterExit(dir)
	}
	testutil.Main(m)
}

// buildCLI builds the command with CGO_ENABLED=0 into a new directory any
// uid can read.
func buildCLI() (string, error) {
	dir, err := os.MkdirTemp("", "procjail-cli-test-")
	if err != nil {
		return "", err
	}
	os.Chmod(dir, 0o755)
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "procjail"), ".")
	cmd.Dir = sourceDir()
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("%w\n%s", err, out)
	}
	return dir, nil
}

// sourceDir is this package's directory, so that a test binary run from
// elsewhere (go test -c) still builds the command.
func sourceDir() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "."
	}
	return filepath.Dir(file)
}

// removeAfterExit removes dir once this process (and so the unprivileged
// re-run it waits for) has exited: testutil.Main ends in os.Exit, so no
// deferred call would run.
func removeAfterExit(dir string) {
	cmd := exec.Command("/bin/sh", "-c", `while kill -0 "$1" 2>/dev/null; do sleep 1; done; rm -rf -- "$2"`,
		"procjail-test-cleanup", strconv.Itoa(os.Getpid()), dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if cmd.Start() == nil {
		cmd.Process.Release()
	}
}

// workDir returns a fresh directory every sandbox uid can reach (a root
// caller's sandbox runs as an unprivileged uid).
func workDir(t *testing.T) string {
	t.Helper()
	d := t.TempDir()
	for p := d; p != "/" && p != os.TempDir(); p = filepath.Dir(p) {
		if err := os.Chmod(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

// result is what one run of the binary gave.
type result struct {
	stdout, stderr string
	code           int
}

// runCLI runs the binary with args in a fresh work dir; stdin is fed
// from the given string and env is added to procjail's environment.
func runCLI(t *testing.T, stdin string, env []string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute) // a hang guard only
	defer cancel()
	cmd := exec.CommandContext(ctx, cliBin, args...)
	cmd.Dir = workDir(t)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("running procjail %q: %v", args, err)
	}
	r := result{stdout: out.String(), stderr: errOut.String(), code: cmd.ProcessState.ExitCode()}
	t.Logf("procjail %q: exit %d\nstdout: %s\nstderr: %s", args, r.code, r.stdout, r.stderr)
	return r
}

func wantCode(t *testing.T, r result, want int) {
	t.Helper()
	if r.code != want {
		t.Fatalf("exit code = %d, want %d (stderr: %s)", r.code, want, r.stderr)
	}
}
