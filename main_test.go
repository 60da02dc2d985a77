package procjail_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/procjail/procjail"
	"github.com/procjail/procjail/internal/testutil"
)

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) != "" {
		helperSpawnAndHang()
		return
	}
	if dir := os.Getenv(noUserNSEnv); dir != "" {
		noUserNSChild(dir)
		return
	}
	if dir := os.Getenv(noToolsEnv); dir != "" {
		noToolsChild(dir)
		return
	}
	testutil.Main(m)
}

// strategiesUnderTest are the strategies this host runs; each behaviour
// test runs under every one of them. A strategy the kernel supports but
// that fails its probe is a failure in CI (through testutil.Skip).
func strategiesUnderTest(t *testing.T) []procjail.Strategy {
	t.Helper()
	caps := procjail.ProbeCapabilities()
	var out []procjail.Strategy
	for _, s := range []procjail.Strategy{procjail.Unshare, procjail.Bubblewrap, procjail.Firejail, procjail.Rlimits} {
		if f := caps.Strategies[s.String()]; f.Available {
			out = append(out, s)
		} else {
			t.Run(s.String(), func(t *testing.T) {
				testutil.Skip(t, testutil.MissingFeature, s.String(), f.Reason)
			})
		}
	}
	return out
}

func forEachStrategy(t *testing.T, f func(t *testing.T, s procjail.Strategy)) {
	t.Helper()
	for _, s := range strategiesUnderTest(t) {
		t.Run(s.String(), func(t *testing.T) { f(t, s) })
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

// script writes an sh harness into dir and returns its path.
func script(t *testing.T, dir, body string) string {
	t.Helper()
	p := filepath.Join(dir, "harness.sh")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// shConfig is a config for an sh harness under strategy s.
func shConfig(s procjail.Strategy) procjail.Config {
	c := procjail.DefaultConfig()
	c.Runtime = "/bin/sh"
	c.Strategy = s
	c.CaptureStderr = true
	c.Timeout = 60e9
	return c
}

func spawn(t *testing.T, harness, dir string, cfg procjail.Config) *procjail.Process {
	t.Helper()
	p, err := procjail.Spawn(harness, dir, cfg)
	if err != nil {
		t.Fatalf("Spawn: %v", err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func wait(t *testing.T, p *procjail.Process) procjail.Usage {
	t.Helper()
	u, err := p.Wait()
	if err != nil {
		t.Fatalf("Wait: %v", err)
	}
	return u
}
