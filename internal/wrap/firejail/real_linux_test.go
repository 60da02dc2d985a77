package firejail

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/procjail/procjail/internal/fsview"
	"github.com/procjail/procjail/internal/testutil"
)

// canary is set in the test's own environment: it must not reach the
// payload.
const canary = "PROCJAIL_FIREJAIL_CANARY"

// script is the payload: it prints one "key=value" per line.
const script = `
echo "uid=$(id -u)"
grep -E '^(CapEff|NoNewPrivs|Seccomp):' /proc/self/status | tr -d ' \t' | tr ':' '='
if cat /etc/shadow >/dev/null 2>&1; then echo shadow=readable; else echo shadow=unreadable; fi
if cat "$HOST_SECRET" >/dev/null 2>&1; then echo secret=readable; else echo secret=unreadable; fi
echo "run=$(ls -A /run 2>&1 | tr '\n' ',')"
echo "var=$(ls -A /var 2>&1 | tr '\n' ',')"
echo "sys=$(ls -A /sys 2>/dev/null | head -3 | tr '\n' ',')"
echo "canary=$(env | grep -c ` + canary + `)"
echo "netdevs=$(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | sort | tr '\n' ',')"
echo "fds=$(ls /proc/self/fd | tr '\n' ',')"
if echo x >"$WORK/created" 2>/dev/null; then echo workdir=writable; else echo workdir=readonly; fi
if echo 1 >/proc/sysrq-trigger 2>/dev/null; then echo sysrq=writable; else echo sysrq=readonly; fi
if unshare -U true 2>/dev/null; then echo userns=allowed; else echo userns=denied; fi
echo "nofile=$(grep 'Max open files' /proc/self/limits | tr -s ' ' | cut -d' ' -f4)"
echo "cpu=$(grep 'Max cpu time' /proc/self/limits | tr -s ' ' | cut -d' ' -f4)"
echo "as=$(grep 'Max address space' /proc/self/limits | tr -s ' ' | cut -d' ' -f4)"
echo "dir=$(pwd)"
echo "mine=$MINE"
echo done=1
`

func needFirejail(t *testing.T) string {
	t.Helper()
	r := Probe("firejail", 30*time.Second)
	switch {
	case !r.Present:
		testutil.Skip(t, testutil.MissingFeature, "firejail", r.Reason)
	case !r.Working && strings.Contains(r.Reason, "not allowed to use Firejail"):
		testutil.Skip(t, testutil.NotForThisCaller, "firejail", "firejail refuses this user (it refuses nobody by design; PROCJAIL_TEST_UID picks another): "+r.Reason)
	case !r.Working:
		testutil.Skip(t, testutil.MissingFeature, "firejail", r.Reason)
	}
	return r.Path
}

type sandbox struct {
	work, secret string
	in           Input
}

func newSandbox(t *testing.T, firejailPath string, writable bool) *sandbox {
	t.Helper()
	base, err := os.MkdirTemp("", "procjail-firejail-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	s := &sandbox{work: filepath.Join(base, "work"), secret: filepath.Join(base, "secret")}
	must(t, os.Chmod(base, 0o755))
	must(t, os.Mkdir(s.work, 0o755))
	must(t, os.WriteFile(s.secret, []byte("host secret\n"), 0o644))
	plan, err := fsview.Build(fsview.Request{Runtime: "/bin/sh", WorkDir: s.work, WritableWorkDir: writable})
	if err != nil {
		t.Fatal(err)
	}
	u, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	root, err := ListRoot()
	if err != nil {
		t.Fatal(err)
	}
	s.in = Input{FirejailPath: firejailPath, Plan: &plan, Argv: []string{"/bin/sh", "-c", script},
		Env: []string{"PATH=/usr/bin:/bin", "WORK=" + s.work, "HOST_SECRET=" + s.secret, "MINE=mine"},
		Dir: s.work, Home: u.HomeDir, Root: root, UnshareNet: true, AsRoot: os.Geteuid() == 0,
		Limits: Limits{NoFile: 200, CPUSeconds: 300, NProc: 4096}}
	return s
}

func (s *sandbox) run(t *testing.T) map[string]string {
	t.Helper()
	c, err := Build(s.in)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	leak := leakFD(t)
	var stdout, stderr bytes.Buffer
	if err := c.run(ctx, &stdout, &stderr); err != nil {
		t.Fatalf("firejail: %v\nstderr: %s\nstdout: %s\nprofile:\n%s", err, stderr.String(), stdout.String(), c.Profile)
	}
	r := parseReport(t, stdout.String())
	if strings.Contains(","+r["fds"], ","+strconv.Itoa(leak)+",") {
		t.Errorf("descriptor %d, inherited without close-on-exec, reached the payload: %s", leak, r["fds"])
	}
	return r
}

// leakFD opens a descriptor without close-on-exec, as a careless caller
// (or a C library) might: firejail must close it before the payload runs.
func leakFD(t *testing.T) int {
	t.Helper()
	fd, err := unix.Open("/dev/null", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	// A high number, so that the child's ExtraFiles do not overwrite it.
	if err := unix.Dup3(fd, leakedFD, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(leakedFD) })
	return leakedFD
}

// leakedFD is the descriptor leakFD leaves open without close-on-exec.
const leakedFD = 200

func parseReport(t *testing.T, out string) map[string]string {
	t.Helper()
	r := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			r[k] = v
		}
	}
	if r["done"] != "1" {
		t.Fatalf("the payload did not finish its report:\n%s", out)
	}
	return r
}

func expect(t *testing.T, r map[string]string, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if r[k] != v {
			t.Errorf("%s = %q, want %q", k, r[k], v)
		}
	}
}

func TestRealContainment(t *testing.T) {
	s := newSandbox(t, needFirejail(t), true)
	t.Setenv(canary, "leaked-value")
	r := s.run(t)
	t.Logf("report: %v", r)
	expect(t, r, map[string]string{
		"CapEff": "0000000000000000", "NoNewPrivs": "1", "Seccomp": "2",
		"shadow": "unreadable", "secret": "unreadable", "run": "firejail,", "var": "", "sys": "",
		"canary": "0", "netdevs": "lo,", "workdir": "writable",
		"sysrq": "readonly", "userns": "denied", "nofile": "200", "cpu": "300", "as": "unlimited",
		"mine": "mine", "dir": s.work,
	})
	checkHostOwner(t, filepath.Join(s.work, "created"))
}

// checkHostOwner: the payload runs as the uid firejail runs as, which as
// root is uid 0 (a documented limitation).
func checkHostOwner(t *testing.T, path string) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatalf("the payload's file: %v", err)
	}
	if uid := int(fi.Sys().(*syscall.Stat_t).Uid); uid != os.Geteuid() {
		t.Errorf("the payload wrote as host uid %d, want %d", uid, os.Geteuid())
	}
}

func TestRealReadOnlySharedNet(t *testing.T) {
	s := newSandbox(t, needFirejail(t), false)
	s.in.UnshareNet = false
	r := s.run(t)
	expect(t, r, map[string]string{"workdir": "readonly", "Seccomp": "2"})
	if r["netdevs"] == "lo," {
		t.Errorf("shared network shows only lo: the no-net check proves nothing")
	}
	if _, err := os.Stat(filepath.Join(s.work, "created")); err == nil {
		t.Error("the payload created a file in the read-only work dir")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
