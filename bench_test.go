package procjail_test

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/procjail/procjail"
	"github.com/procjail/procjail/internal/testutil"
)

// benchHarness prints one line, then echoes every line; it uses only
// shell builtins, so a round trip starts no process.
const benchHarness = "echo ready\nwhile IFS= read -r l; do printf '%s\\n' \"$l\"; done\n"

// benchSetup writes the harness into a directory every uid can reach.
func benchSetup(b *testing.B) (dir, harness string) {
	b.Helper()
	dir = b.TempDir()
	for p := dir; p != "/" && p != os.TempDir(); p = filepath.Dir(p) {
		if err := os.Chmod(p, 0o755); err != nil {
			b.Fatal(err)
		}
	}
	harness = filepath.Join(dir, "harness.sh")
	if err := os.WriteFile(harness, []byte(benchHarness), 0o644); err != nil {
		b.Fatal(err)
	}
	return dir, harness
}

// forEachBenchStrategy runs f as a sub-benchmark per strategy this host
// runs; one it cannot run is a skip (a failure in CI).
func forEachBenchStrategy(b *testing.B, f func(b *testing.B, s procjail.Strategy)) {
	caps := procjail.ProbeCapabilities()
	for _, s := range []procjail.Strategy{procjail.Unshare, procjail.Bubblewrap, procjail.Firejail, procjail.Rlimits} {
		b.Run(s.String(), func(b *testing.B) {
			if feat := caps.Strategies[s.String()]; !feat.Available {
				testutil.Skip(b, testutil.MissingFeature, s.String(), feat.Reason)
			}
			f(b, s)
		})
	}
}

// BenchmarkSpawnFirstReply measures a sandbox's cold start: Spawn, the
// harness's first line, Close.
func BenchmarkSpawnFirstReply(b *testing.B) {
	forEachBenchStrategy(b, func(b *testing.B, s procjail.Strategy) {
		dir, harness := benchSetup(b)
		cfg := shConfig(s)
		for b.Loop() {
			p, err := procjail.Spawn(harness, dir, cfg)
			if err != nil {
				b.Fatalf("Spawn: %v", err)
			}
			if line, err := p.Recv(); err != nil || line != "ready" {
				b.Fatalf("first line = %q, %v (stderr: %q)", line, err, p.Stderr())
			}
			p.Close()
		}
	})
}

// BenchmarkRoundTrip measures one Send+Recv on a running sandbox.
func BenchmarkRoundTrip(b *testing.B) {
	forEachBenchStrategy(b, func(b *testing.B, s procjail.Strategy) {
		dir, harness := benchSetup(b)
		cfg := shConfig(s)
		cfg.Timeout = 0 // -benchtime may ask for a long run
		p, err := procjail.Spawn(harness, dir, cfg)
		if err != nil {
			b.Fatalf("Spawn: %v", err)
		}
		defer p.Close()
		if _, err := p.Recv(); err != nil {
			b.Fatalf("first line: %v (stderr: %q)", err, p.Stderr())
		}
		for b.Loop() {
			if line, err := p.SendRecv("ping"); err != nil || line != "ping" {
				b.Fatalf("SendRecv = %q, %v", line, err)
			}
		}
	})
}

// BenchmarkBareExec is the floor for BenchmarkSpawnFirstReply: the same
// harness under plain os/exec, no sandbox.
func BenchmarkBareExec(b *testing.B) {
	_, harness := benchSetup(b)
	for b.Loop() {
		cmd := exec.Command("/bin/sh", harness)
		stdin, err := cmd.StdinPipe()
		if err != nil {
			b.Fatal(err)
		}
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			b.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || line != "ready\n" {
			b.Fatalf("first line = %q, %v", line, err)
		}
		cmd.Process.Kill()
		stdin.Close()
		cmd.Wait()
	}
}
