package procjail_test

import (
	"context"
	"errors"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/procjail/procjail"
)

func TestEchoLines(t *testing.T) {
	forEachStrategy(t, func(t *testing.T, s procjail.Strategy) {
		dir := workDir(t)
		h := script(t, dir, `while read -r l; do echo "got:$l"; done; echo bye`)
		p := spawn(t, h, dir, shConfig(s))
		if p.Strategy() != s {
			t.Fatalf("Strategy() = %v, want %v", p.Strategy(), s)
		}
		for _, in := range []string{"one", "", "x y z", `{"method":"eval"}`} {
			got, err := p.SendRecv(in)
			if err != nil || got != "got:"+in {
				t.Fatalf("SendRecv(%q) = %q, %v", in, got, err)
			}
		}
		if err := p.Send("a\nb"); !errors.Is(err, procjail.ErrNewline) {
			t.Fatalf("Send with newline: %v, want ErrNewline", err)
		}
		p.CloseStdin()
		if got, err := p.Recv(); got != "bye" || err != nil {
			t.Fatalf("after CloseStdin: %q, %v", got, err)
		}
		if _, err := p.Recv(); err != io.EOF {
			t.Fatalf("Recv at end = %v, want io.EOF", err)
		}
		u := wait(t, p)
		if u.Reason != procjail.ExitNormal || u.ExitCode != 0 {
			t.Fatalf("usage %v", u)
		}
	})
}

func TestExitCodeAndSignal(t *testing.T) {
	forEachStrategy(t, func(t *testing.T, s procjail.Strategy) {
		dir := workDir(t)
		p := spawn(t, script(t, dir, "exit 7"), dir, shConfig(s))
		if u := wait(t, p); u.Reason != procjail.ExitNormal || u.ExitCode != 7 {
			t.Fatalf("exit 7: %v", u)
		}
		p = spawn(t, script(t, dir, "kill -SEGV $$"), dir, shConfig(s))
		if u := wait(t, p); u.Reason != procjail.ExitSignaled || u.Signal != "SIGSEGV" || u.ExitCode != 128+11 {
			t.Fatalf("SIGSEGV: %v", u)
		}
	})
}

func TestCPULimit(t *testing.T) {
	forEachStrategy(t, func(t *testing.T, s procjail.Strategy) {
		dir := workDir(t)
		cfg := shConfig(s)
		cfg.MaxCPUSeconds = 1
		cfg.Timeout = 30 * time.Second
		p := spawn(t, script(t, dir, "while :; do :; done"), dir, cfg)
		u := wait(t, p)
		if u.Reason != procjail.ExitCPULimit {
			t.Fatalf("CPU spin ended with %v, want reason %s", u, procjail.ExitCPULimit)
		}
		if u.CPU() < 900*time.Millisecond {
			t.Fatalf("CPU time %v below the 1 s limit it hit", u.CPU())
		}
	})
}

func TestTimeoutDuringWaitAndRecv(t *testing.T) {
	forEachStrategy(t, func(t *testing.T, s procjail.Strategy) {
		dir := workDir(t)
		cfg := shConfig(s)
		cfg.Timeout = 300 * time.Millisecond
		h := script(t, dir, "exec sleep 1000")
		p := spawn(t, h, dir, cfg)
		if u := wait(t, p); u.Reason != procjail.ExitTimeout {
			t.Fatalf("Wait: %v, want timeout", u)
		}
		p = spawn(t, h, dir, cfg)
		if _, err := p.Recv(); err != io.EOF {
			t.Fatalf("Recv on a timed-out sandbox = %v, want io.EOF", err)
		}
		if u := wait(t, p); u.Reason != procjail.ExitTimeout {
			t.Fatalf("after Recv: %v, want timeout", u)
		}
	})
}

func TestRecvDeadlineAndContext(t *testing.T) {
	forEachStrategy(t, func(t *testing.T, s procjail.Strategy) {
		dir := workDir(t)
		p := spawn(t, script(t, dir, `read -r l; echo "late:$l"`), dir, shConfig(s))
		if _, err := p.RecvTimeout(50 * time.Millisecond); !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("RecvTimeout = %v, want a deadline error", err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		go func() { time.Sleep(20 * time.Millisecond); cancel() }()
		if _, err := p.RecvContext(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("RecvContext after cancel = %v", err)
		}
		if got, err := p.SendRecv("x"); got != "late:x" || err != nil {
			t.Fatalf("channel after deadlines: %q, %v", got, err)
		}
	})
}

func TestKillIsFinalAndReported(t *testing.T) {
	forEachStrategy(t, func(t *testing.T, s procjail.Strategy) {
		dir := workDir(t)
		p := spawn(t, script(t, dir, "trap '' TERM INT HUP; echo up; while :; do sleep 1; done"), dir, shConfig(s))
		if l, err := p.Recv(); l != "up" || err != nil {
			t.Fatalf("Recv: %q %v", l, err)
		}
		if !p.Alive() {
			t.Fatal("not alive before Kill")
		}
		p.Kill()
		u := wait(t, p)
		if u.Reason != procjail.ExitKilled || p.Alive() {
			t.Fatalf("after Kill: %v alive=%v", u, p.Alive())
		}
		if err := p.Kill(); err != nil {
			t.Fatalf("second Kill: %v", err)
		}
	})
}

func TestStderrFloodDoesNotDeadlock(t *testing.T) {
	forEachStrategy(t, func(t *testing.T, s procjail.Strategy) {
		dir := workDir(t)
		cfg := shConfig(s)
		cfg.StderrLimitBytes = 64 << 10
		p := spawn(t, script(t, dir, "head -c 10000000 /dev/zero | tr '\\0' x >&2; echo done"), dir, cfg)
		if l, err := p.Recv(); l != "done" || err != nil {
			t.Fatalf("Recv after a 10 MB stderr flood: %q, %v", l, err)
		}
		wait(t, p)
		if n := len(p.Stderr()); n == 0 || n > 70<<10 {
			t.Fatalf("captured stderr is %d bytes, want (0, 70 KiB]", n)
		}
	})
}

func TestLineTooLongKeepsParentBounded(t *testing.T) {
	forEachStrategy(t, func(t *testing.T, s procjail.Strategy) {
		dir := workDir(t)
		cfg := shConfig(s)
		cfg.MaxDiskBytes = 200 << 20
		p := spawn(t, script(t, dir, "head -c 100000000 /dev/zero | tr '\\0' a; echo; echo after"), dir, cfg)
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := p.Recv()
		if !errors.Is(err, procjail.ErrLineTooLong) {
			t.Fatalf("Recv = %v, want ErrLineTooLong", err)
		}
		if l, err := p.Recv(); l != "after" || err != nil {
			t.Fatalf("next Recv = %q, %v, want the next line", l, err)
		}
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 16<<20 {
			t.Fatalf("parent allocated %d MB reading a 100 MB line", grew>>20)
		}
		wait(t, p)
	})
}

func TestSpawnErrors(t *testing.T) {
	dir := workDir(t)
	h := script(t, dir, "true")
	cases := []struct {
		name          string
		harness, work string
		mut           func(*procjail.Config)
		want          string
	}{
		{"missing work dir", h, "/nonexistent/dir", nil, "work_dir"},
		{"work dir is a file", h, h, nil, "work_dir"},
		{"missing harness", dir + "/nope.sh", dir, nil, "harness"},
		{"harness is a dir", dir, dir, nil, "harness"},
		{"missing runtime", h, dir, func(c *procjail.Config) { c.Runtime = "definitely-not-a-runtime" }, "runtime_path"},
		{"zero memory", h, dir, func(c *procjail.Config) { c.MaxMemoryBytes = 0 }, "max_memory_bytes"},
	}
	if procjail.AvailableStrategy() != procjail.Rlimits {
		cases = append(cases, struct {
			name          string
			harness, work string
			mut           func(*procjail.Config)
			want          string
		}{"work dir is the view's /tmp", h, "/tmp", nil, "work_dir"})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := shConfig(procjail.Auto)
			if tc.mut != nil {
				tc.mut(&cfg)
			}
			p, err := procjail.Spawn(tc.harness, tc.work, cfg)
			if err == nil {
				p.Close()
				t.Fatal("Spawn succeeded")
			}
			var pe *procjail.Error
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), tc.want) || pe.Hint == "" {
				t.Fatalf("error %q: want a *procjail.Error naming %q with a hint", err, tc.want)
			}
		})
	}
}
