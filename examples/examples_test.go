package examples_test

import (
	"embed"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/procjail/procjail"
	"github.com/procjail/procjail/internal/testutil"
)

// The fixtures travel inside the test binary: the unprivileged re-run
// starts it from another directory.
//
//go:embed harness hostile-pkg procjail.toml
var fixtures embed.FS

func TestMain(m *testing.M) { testutil.Main(m) }

// strategies are the strategies this host runs; each test runs under all
// of them. One the host cannot run is a skip (a failure in CI).
func strategies(t *testing.T) []procjail.Strategy {
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
	for _, s := range strategies(t) {
		t.Run(s.String(), func(t *testing.T) { f(t, s) })
	}
}

// reachableDir returns a fresh directory that every uid can reach: as
// root, the sandboxed payload runs as an unprivileged uid with only
// "other" permissions.
func reachableDir(t *testing.T) string {
	t.Helper()
	d := t.TempDir()
	for p := d; p != "/" && p != os.TempDir(); p = filepath.Dir(p) {
		if err := os.Chmod(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

// fixtureDir copies the embedded fixtures into a reachable directory
// (directories 0755, files 0644) and returns it.
func fixtureDir(t *testing.T) string {
	t.Helper()
	root := reachableDir(t)
	err := fs.WalkDir(fixtures, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		dst := filepath.Join(root, filepath.FromSlash(p))
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := fixtures.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		t.Fatalf("copying fixtures: %v", err)
	}
	return root
}

func writeFile(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // past the umask
		t.Fatal(err)
	}
}

// runtimePath finds an interpreter usable by every uid: a system copy
// first (a per-user shim such as pyenv's is not reachable from the
// sandbox), then PATH. It skips when there is none.
func runtimePath(t *testing.T, name string) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/" + name, "/usr/local/bin/" + name} {
		if fi, err := os.Stat(p); err == nil && fi.Mode()&0o001 != 0 {
			return p
		}
	}
	p, err := exec.LookPath(name)
	if err != nil {
		testutil.Skip(t, testutil.MissingFeature, name, "not installed: "+err.Error())
	}
	return p
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

// readAll returns every stdout line until end-of-file.
func readAll(t *testing.T, p *procjail.Process) []string {
	t.Helper()
	var lines []string
	for {
		line, err := p.Recv()
		if errors.Is(err, io.EOF) {
			return lines
		}
		if err != nil {
			t.Fatalf("Recv after %d lines: %v (stderr: %q)", len(lines), err, p.Stderr())
		}
		lines = append(lines, line)
	}
}

func wait(t *testing.T, p *procjail.Process) procjail.Usage {
	t.Helper()
	u, err := p.Wait()
	if err != nil {
		t.Fatalf("Wait: %v", err)
	}
	return u
}

// TestExampleConfigFile loads examples/procjail.toml, which documents
// every key, and checks each value arrived.
func TestExampleConfigFile(t *testing.T) {
	dir := fixtureDir(t)
	got, err := procjail.LoadConfig(filepath.Join(dir, "procjail.toml"))
	if err != nil {
		t.Fatalf("LoadConfig: %v", err)
	}
	want := procjail.DefaultConfig()
	want.RuntimeArgs = []string{"--max-old-space-size=192"}
	want.EnvPassthrough = []string{"HOME", "PATH", "LANG"}
	want.EnvStrip = []string{"INTERNAL_*"}
	want.EnvSet = map[string]string{"NODE_ENV": "production", "CI": "true"}
	want.Require = []procjail.Requirement{procjail.RequireFilesystem, procjail.RequireNetwork,
		procjail.RequirePID, procjail.RequireSecretEnv, procjail.RequireSeccomp}
	want.ReadOnlyMounts = []procjail.Mount{{Host: "/usr/share/zoneinfo", Sandbox: "/opt/zoneinfo"}}
	want.CaptureStderr = true
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("examples/procjail.toml (-want +got):\n%s", diff)
	}
}

// reply decodes one harness reply.
func reply(t *testing.T, line string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(line), &m); err != nil {
		t.Fatalf("reply %q is not a JSON object: %v", line, err)
	}
	return m
}

// exchange sends one request and compares the decoded reply.
func exchange(t *testing.T, p *procjail.Process, request string, want map[string]any) {
	t.Helper()
	line, err := p.SendRecv(request)
	if err != nil {
		t.Fatalf("SendRecv(%s): %v (stderr: %q)", request, err, p.Stderr())
	}
	if diff := cmp.Diff(want, reply(t, line)); diff != "" {
		t.Errorf("reply to %s (-want +got):\n%s", request, diff)
	}
}
