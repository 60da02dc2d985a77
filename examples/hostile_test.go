package examples_test

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/procjail/procjail"
	"github.com/procjail/procjail/internal/testutil"
)

// plantedSecret is a secret-looking variable of the caller that the
// default configuration must strip.
const plantedSecret = "PROCJAIL_EXAMPLE_API_TOKEN"

// attemptLine is the one format install.sh prints.
var attemptLine = regexp.MustCompile(`^ATTEMPT ([a-z-]+) (BLOCKED|SUCCEEDED) (.+)$`)

// attempt is one parsed line of install.sh.
type attempt struct {
	blocked bool
	detail  string
}

// hostileAttempt says which layer contains an attempt of install.sh, and
// whether the attack is known to work where that layer is not enforced
// (then it must succeed there, which proves the attack is real).
type hostileAttempt struct {
	name  string
	layer procjail.Requirement // "" for what the default config always blocks
	// worksUncontained: the test host makes this attack succeed when the
	// layer is not enforced (a planted key, a world-writable home, a
	// listening port).
	worksUncontained bool
	// hostChecked: the sandbox's own report is not proof (its /tmp may be
	// private); the host-side checks decide.
	hostChecked bool
}

var hostileAttempts = []hostileAttempt{
	{name: "secret-env"},
	{name: "ssh-key", layer: procjail.RequireFilesystem, worksUncontained: true},
	{name: "parent-environ", layer: procjail.RequireSecretEnv, worksUncontained: true},
	{name: "init-environ", layer: procjail.RequirePID},
	{name: "write-home", layer: procjail.RequireFilesystem, worksUncontained: true},
	{name: "write-tmp", layer: procjail.RequireFilesystem, hostChecked: true},
	{name: "net-internet", layer: procjail.RequireNetwork},
	{name: "net-localhost", layer: procjail.RequireNetwork, worksUncontained: true},
	{name: "fork-bomb", layer: procjail.RequireProcessLimit},
}

// hostileRun is one run of the hostile package and what the host saw.
type hostileRun struct {
	enforced  procjail.Enforcement
	attempts  map[string]attempt
	home      string   // the fake home the payload was given
	homeFiles []string // escape files found in it afterwards
	tmpFiles  []string // new /tmp/procjail-escape-* files afterwards
	accepted  int64    // connections the host's loopback listener accepted
}

// TestHostilePackage runs examples/hostile-pkg's install script under the
// default configuration and checks every attempt that the sandbox's
// Enforced() claims to contain is really blocked, from the script's report
// and from the host. Where a layer is not enforced, the attacks known to
// work on this host must succeed, so that a broken attack cannot pass for
// containment.
func TestHostilePackage(t *testing.T) {
	t.Setenv(plantedSecret, "example-secret-value")
	forEachStrategy(t, func(t *testing.T, s procjail.Strategy) {
		r := runHostile(t, s)
		for _, a := range hostileAttempts {
			t.Run(a.name, func(t *testing.T) { checkAttempt(t, r, a) })
		}
	})
}

func runHostile(t *testing.T, s procjail.Strategy) *hostileRun {
	t.Helper()
	pkg := filepath.Join(fixtureDir(t), "hostile-pkg")
	r := &hostileRun{home: fakeHome(t)}
	port := listen(t, &r.accepted)
	before := escapeFiles(t, "/tmp")
	cfg := procjail.DefaultConfig()
	cfg.Runtime, cfg.RuntimeArgs = "/bin/sh", []string{"install.sh", strconv.Itoa(port)}
	cfg.Strategy, cfg.CaptureStderr = s, true
	cfg.EnvSet = map[string]string{"HOME": r.home}
	p := spawn(t, "", pkg, cfg)
	lines := readAll(t, p)
	u := wait(t, p)
	r.tmpFiles = newFiles(escapeFiles(t, "/tmp"), before)
	r.homeFiles = escapeFiles(t, r.home)
	removeAll(t, r.tmpFiles)
	removeAll(t, r.homeFiles)
	// Without a per-sandbox process limit (rlimits as a non-root caller:
	// RLIMIT_NPROC is shared with the caller's uid) the fork bomb can use
	// up the supervisor's own thread budget; the supervisor then dies, the
	// parent sweeps the session and reports the run as lost.
	pids, _ := p.Enforced().Layer(procjail.RequireProcessLimit)
	if !pids.Enforced && u.Reason == procjail.ExitLost {
		t.Logf("supervisor lost under a shared process limit: %v", u)
	} else if u.Reason != procjail.ExitNormal || u.ExitCode != 0 {
		t.Errorf("install.sh ended with %v, want exit 0 (stderr: %q)", u, p.Stderr())
	}
	r.enforced, r.attempts = p.Enforced(), parseAttempts(t, lines)
	return r
}

// fakeHome makes a home directory holding an SSH key, writable by every
// uid, so that reading the key and writing there work wherever the
// filesystem is not contained.
func fakeHome(t *testing.T) string {
	t.Helper()
	home := reachableDir(t)
	if err := os.Mkdir(filepath.Join(home, ".ssh"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(home, ".ssh", "id_rsa"), "-----BEGIN OPENSSH PRIVATE KEY-----\nnot a real key\n", 0o644)
	if err := os.Chmod(home, 0o777); err != nil {
		t.Fatal(err)
	}
	return home
}

// listen opens a loopback TCP listener that counts what connects to it.
func listen(t *testing.T, accepted *int64) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			atomic.AddInt64(accepted, 1)
			c.Close()
		}
	}()
	return l.Addr().(*net.TCPAddr).Port
}

func escapeFiles(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "procjail-escape-*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func newFiles(after, before []string) []string {
	old := map[string]bool{}
	for _, f := range before {
		old[f] = true
	}
	var out []string
	for _, f := range after {
		if !old[f] {
			out = append(out, f)
		}
	}
	return out
}

func removeAll(t *testing.T, files []string) {
	t.Helper()
	for _, f := range files {
		if err := os.Remove(f); err != nil {
			t.Errorf("removing %s left by the payload: %v", f, err)
		}
	}
}

// parseAttempts checks every line has the documented format and every
// attempt is reported once.
func parseAttempts(t *testing.T, lines []string) map[string]attempt {
	t.Helper()
	out := map[string]attempt{}
	for _, line := range lines {
		m := attemptLine.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("line %q is not \"ATTEMPT <name> BLOCKED|SUCCEEDED <detail>\"", line)
			continue
		}
		if _, dup := out[m[1]]; dup {
			t.Errorf("attempt %s reported twice", m[1])
		}
		out[m[1]] = attempt{blocked: m[2] == "BLOCKED", detail: m[3]}
	}
	for _, a := range hostileAttempts {
		if _, ok := out[a.name]; !ok {
			t.Errorf("attempt %s not reported; got %q", a.name, lines)
		}
	}
	if len(out) != len(hostileAttempts) {
		t.Errorf("got %d attempts, want %d: %q", len(out), len(hostileAttempts), lines)
	}
	return out
}

func checkAttempt(t *testing.T, r *hostileRun, a hostileAttempt) {
	got, ok := r.attempts[a.name]
	if !ok {
		t.Fatalf("attempt %s not reported", a.name)
	}
	t.Logf("%s: blocked=%v %s", a.name, got.blocked, got.detail)
	if strings.HasPrefix(a.name, "net-") {
		needConnector(t)
	}
	contained := a.layer == ""
	if !contained {
		l, ok := r.enforced.Layer(a.layer)
		if !ok {
			t.Fatalf("Enforced() has no layer %s", a.layer)
		}
		contained = l.Enforced
	}
	if contained {
		checkContained(t, r, a, got)
	} else if a.worksUncontained {
		checkUncontained(t, r, a, got)
	}
}

// checkContained: the attempt failed, seen from inside and from the host.
func checkContained(t *testing.T, r *hostileRun, a hostileAttempt, got attempt) {
	if !got.blocked && !a.hostChecked {
		t.Errorf("%s SUCCEEDED although Enforced() claims %q contains it: %s", a.name, a.layer, got.detail)
	}
	switch a.name {
	case "secret-env":
		if strings.Contains(got.detail, plantedSecret) {
			t.Errorf("the payload saw %s: %s", plantedSecret, got.detail)
		}
	case "write-home":
		if len(r.homeFiles) > 0 {
			t.Errorf("the payload wrote %q in the host home %s", r.homeFiles, r.home)
		}
	case "write-tmp":
		if len(r.tmpFiles) > 0 {
			t.Errorf("the payload wrote %q in the host's /tmp", r.tmpFiles)
		}
	case "net-localhost":
		if n := atomic.LoadInt64(&r.accepted); n > 0 {
			t.Errorf("the host's loopback listener accepted %d connections from the sandbox", n)
		}
	}
}

// checkUncontained: where the layer is not enforced, an attack the test
// host makes possible must succeed (otherwise the attack, not the
// sandbox, is what failed).
func checkUncontained(t *testing.T, r *hostileRun, a hostileAttempt, got attempt) {
	if got.blocked {
		t.Errorf("%s was BLOCKED although layer %s is not enforced and this host allows it: %s (the attack itself is broken)", a.name, a.layer, got.detail)
	}
	if a.name == "write-home" && len(r.homeFiles) == 0 {
		t.Errorf("write-home reported success but no file appeared in %s", r.home)
	}
	if a.name == "net-localhost" && atomic.LoadInt64(&r.accepted) == 0 {
		t.Errorf("net-localhost reported success but the listener saw no connection")
	}
}

// needConnector skips the network checks when neither node nor python3
// exists: install.sh connects with one of them.
func needConnector(t *testing.T) {
	t.Helper()
	for _, name := range []string{"node", "python3"} {
		if _, err := exec.LookPath(name); err == nil {
			return
		}
	}
	testutil.Skip(t, testutil.MissingFeature, "node", "install.sh needs node or python3 to open a TCP connection")
}
