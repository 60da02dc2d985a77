package netfwd

import (
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/procjail/procjail/internal/testutil"
)

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(sandboxChild())
	}
	testutil.Main(m)
}

// fdCount counts this process's open file descriptors.
func fdCount(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(ents) - 1 // the directory's own fd
}

// eventually polls cond until it holds, for at most bound; it is a guard
// against hangs, not a timing assertion.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	const bound = 30 * time.Second
	end := time.Now().Add(bound)
	for !cond() {
		if time.Now().After(end) {
			t.Fatalf("%s: still not true after %v", what, bound)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// noLeaks checks, once the test's cleanups ran, that no goroutine or file
// descriptor is left over from the given baseline.
func noLeaks(t *testing.T, fds, goroutines int) {
	t.Helper()
	eventually(t, "goroutines back to baseline", func() bool { return runtime.NumGoroutine() <= goroutines })
	eventually(t, "fds back to baseline", func() bool { return fdCount(t) <= fds })
}

// within runs f and fails the test if it has not returned after a bound
// (a guard against hangs, not a timing assertion).
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatalf("%s did not return", what)
	}
}
