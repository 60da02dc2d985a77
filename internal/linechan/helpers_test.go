package linechan

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"
)

// childEnv selects what a re-executed copy of the test binary does instead
// of running tests.
const childEnv = "LINECHAN_TEST_CHILD"

// hangGuard bounds waits that only a bug makes long: hitting it fails the
// test instead of hanging it. It is not a timing assertion.
const hangGuard = 60 * time.Second

func TestMain(m *testing.M) {
	if mode := os.Getenv(childEnv); mode != "" {
		os.Exit(runChild(mode, os.Getenv(childEnv+"_N")))
	}
	os.Exit(m.Run())
}

// runChild is the body of a re-executed child.
func runChild(mode, arg string) int {
	n, _ := strconv.Atoi(arg)
	switch mode {
	case "stderr-pattern":
		return writeAll(os.Stderr, pattern(n))
	}
	return 2
}

func writeAll(f *os.File, p []byte) int {
	if _, err := f.Write(p); err != nil {
		return 1
	}
	return 0
}

// pattern returns n deterministic, non-repeating-looking bytes, the same in
// the test and in its re-executed child.
func pattern(n int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	p := make([]byte, n)
	for i := range p {
		p[i] = byte(rng.Uint32())
	}
	return p
}

// selfChild returns a command re-executing the test binary as a child in
// the given mode.
func selfChild(t *testing.T, mode string, n int) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatalf("find the test binary: %v", err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), childEnv+"="+mode, childEnv+"_N="+strconv.Itoa(n))
	return cmd
}

// sh returns a command running script with /bin/sh.
func sh(script string) *exec.Cmd {
	return exec.Command("/bin/sh", "-c", script)
}

// newPipe returns a pipe whose ends are closed when the test ends.
func newPipe(t *testing.T) (r, w *os.File) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatalf("os.Pipe: %v", err)
	}
	t.Cleanup(func() { r.Close(); w.Close() })
	return r, w
}

// start starts cmd, closes the parent's copies of the child's pipe ends,
// and kills and reaps the child when the test ends.
func start(t *testing.T, cmd *exec.Cmd, childEnds ...*os.File) {
	t.Helper()
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %v: %v", cmd.Args, err)
	}
	for _, f := range childEnds {
		f.Close()
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
}

// result is one outcome of ReadLine, comparable with go-cmp.
type result struct {
	Line string
	Err  string // "", "EOF", "too long" or the error text
}

func resultOf(line string, err error) result {
	switch {
	case err == nil:
		return result{Line: line}
	case errors.Is(err, io.EOF):
		return result{Err: "EOF"}
	case errors.Is(err, ErrLineTooLong):
		return result{Err: "too long"}
	}
	return result{Err: err.Error()}
}

// readAll reads r until io.EOF or another error, at most hangGuard long.
func readAll(t testing.TB, r *Reader) []result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	defer cancel()
	var out []result
	for {
		res := resultOf(r.ReadLine(ctx))
		out = append(out, res)
		if res.Err != "" && res.Err != "too long" {
			return out
		}
	}
}

// guardCtx is a context bounded by hangGuard.
func guardCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	t.Cleanup(cancel)
	return ctx
}
