package bwrap

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/procjail/procjail/internal/fsview"
	"github.com/procjail/procjail/internal/seccomp"
	"github.com/procjail/procjail/internal/testutil"
)

// canary is set in the test's own environment: it must never be readable
// inside the sandbox.
const canary = "PROCJAIL_BWRAP_CANARY"

// testHostID is the host uid and gid bwrap runs as when the test runs as
// root: in the block procjail uses for sandboxes, owned by nobody.
const testHostID = 0x70000000 + 4242

// script is the payload: it prints, one "key=value" per line.
const script = `
echo "uid=$(id -u)"
grep -E '^(CapEff|NoNewPrivs|Seccomp):' /proc/self/status | tr -d ' \t' | tr ':' '='
if cat /etc/shadow >/dev/null 2>&1; then echo shadow=readable; else echo shadow=unreadable; fi
if cat "$HOST_SECRET" >/dev/null 2>&1; then echo secret=readable; else echo secret=unreadable; fi
if [ -e /run ] || [ -e /home/u ] || [ -e /root ]; then echo hostdirs=visible; else echo hostdirs=absent; fi
echo "environ=$(tr '\0' ' ' </proc/1/environ 2>&1)"
echo "netdevs=$(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | sort | tr '\n' ',')"
echo "fds=$(ls /proc/self/fd | tr '\n' ',')"
if echo x >"$WORK/created" 2>/dev/null; then echo workdir=writable; else echo workdir=readonly; fi
if echo x >/etc/planted 2>/dev/null; then echo root=writable; else echo root=readonly; fi
if echo 1 >/proc/sysrq-trigger 2>/dev/null; then echo sysrq=writable; else echo sysrq=readonly; fi
if unshare -U true 2>/dev/null; then echo userns=allowed; else echo userns=denied; fi
echo "passwd=$(grep -c '^sandbox:x:1000:1000:' /etc/passwd)"
echo "hostname=$(cat /proc/sys/kernel/hostname)"
echo "dir=$(pwd)"
echo "mine=$MINE"
echo done=1
`

// sandbox is a test sandbox: a work dir, a host secret outside the view,
// and the Input running script in it.
type sandbox struct {
	work, secret string
	in           Input
}

func needBwrap(t *testing.T) string {
	t.Helper()
	r := Probe("bwrap", 30*time.Second)
	if !r.Working {
		testutil.Skip(t, testutil.MissingFeature, "bwrap", r.Reason)
	}
	return r.Path
}

// newSandbox makes a world-reachable work dir (the sandbox's host uid may
// differ from ours) and the Input for script.
func newSandbox(t *testing.T, bwrapPath string, writable bool) *sandbox {
	t.Helper()
	base, err := os.MkdirTemp("", "procjail-bwrap-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	s := &sandbox{work: filepath.Join(base, "work"), secret: filepath.Join(base, "secret")}
	must(t, os.Chmod(base, 0o755))
	must(t, os.Mkdir(s.work, 0o777))
	must(t, os.Chmod(s.work, 0o777))
	must(t, os.WriteFile(s.secret, []byte("host secret\n"), 0o644))
	plan, err := fsview.Build(fsview.Request{Runtime: "/bin/sh", WorkDir: s.work, WritableWorkDir: writable, UID: 1000, GID: 1000})
	if err != nil {
		t.Fatal(err)
	}
	s.in = Input{BwrapPath: bwrapPath, Plan: &plan, Argv: []string{"/bin/sh", "-c", script},
		Env: []string{"PATH=/usr/bin:/bin", "WORK=" + s.work, "HOST_SECRET=" + s.secret, "MINE=mine"},
		Dir: s.work, UID: 1000, GID: 1000, UnshareNet: true}
	if os.Geteuid() == 0 {
		s.in.AsRoot, s.in.HostUID, s.in.HostGID = true, testHostID, testHostID
	}
	return s
}

// run builds and runs the sandbox with env as bwrap's own environment
// (nil: the Command's empty one) and returns the script's report.
func (s *sandbox) run(t *testing.T, env []string) map[string]string {
	t.Helper()
	c, err := Build(s.in)
	if err != nil {
		t.Fatal(err)
	}
	if env != nil {
		c.Env = env
	}
	return s.runCommand(t, c, true)
}

// runCommand runs c; closeInherited does what the package documentation
// asks of the caller about inherited descriptors.
func (s *sandbox) runCommand(t *testing.T, c Command, closeInherited bool) map[string]string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, c.Path, c.Args[1:]...)
	files, err := c.OpenFiles()
	if err != nil {
		t.Fatal(err)
	}
	defer CloseFiles(files)
	if closeInherited {
		markInheritedCloseOnExec(t)
	}
	cmd.Env, cmd.ExtraFiles, cmd.Stdout, cmd.Stderr = c.Env, files, &stdout, &stderr
	cmd.SysProcAttr = c.sysProcAttr()
	if err := cmd.Run(); err != nil {
		t.Fatalf("bwrap: %v\nstderr: %s\nstdout: %s", err, stderr.String(), stdout.String())
	}
	return parseReport(t, stdout.String())
}

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

// TestRealContainment runs the full command line with procjail's seccomp
// filter and a writable work dir, and checks each claim from the host side
// or through the payload's report.
func TestRealContainment(t *testing.T) {
	s := newSandbox(t, needBwrap(t), true)
	s.in.Seccomp = defaultFilter(t)
	t.Setenv(canary, "leaked-value")
	r := s.run(t, nil)
	expect(t, r, map[string]string{
		"uid": "1000", "CapEff": "0000000000000000", "NoNewPrivs": "1", "Seccomp": "2",
		"shadow": "unreadable", "secret": "unreadable", "hostdirs": "absent",
		"netdevs": "lo,", "fds": "0,1,2,3,", "workdir": "writable", "root": "readonly",
		"sysrq": "readonly", "userns": "denied", "mine": "mine", "dir": s.work,
		"passwd": "1", "hostname": "sandbox",
	})
	if strings.Contains(r["environ"], canary) {
		t.Errorf("/proc/1/environ inside shows the caller's variable: %q", r["environ"])
	}
	checkHostOwner(t, filepath.Join(s.work, "created"))
}

// checkHostOwner checks, on the host, who the payload was: never uid 0,
// and as root the unprivileged uid bwrap was started as.
func checkHostOwner(t *testing.T, path string) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatalf("the payload's file: %v", err)
	}
	uid := int(fi.Sys().(*syscall.Stat_t).Uid)
	want := os.Geteuid()
	if want == 0 {
		want = testHostID
	}
	if uid == 0 || uid != want {
		t.Errorf("the payload wrote as host uid %d, want %d", uid, want)
	}
}

// TestRealEnvironLeakControl shows that the /proc/1/environ check above
// can fail: bwrap started with the caller's environment leaks it to the
// payload despite --clearenv. Build's empty Env is what prevents it.
func TestRealEnvironLeakControl(t *testing.T) {
	s := newSandbox(t, needBwrap(t), false)
	r := s.run(t, append(os.Environ(), canary+"=leaked-value"))
	if !strings.Contains(r["environ"], canary+"=leaked-value") {
		t.Errorf("control: the caller's variable was not visible at /proc/1/environ (%q): the containment test's environ check proves nothing", r["environ"])
	}
	if r["mine"] != "mine" {
		t.Errorf("payload environment not set: %q", r["mine"])
	}
}

// TestRealInheritedFDControl shows why the caller must let no descriptor
// but ExtraFiles reach bwrap: bwrap passes an inherited descriptor
// without close-on-exec on to the payload.
func TestRealInheritedFDControl(t *testing.T) {
	s := newSandbox(t, needBwrap(t), false)
	c, err := Build(s.in)
	if err != nil {
		t.Fatal(err)
	}
	fd, err := unix.Open("/dev/null", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	// A high number, so that the child's ExtraFiles do not overwrite it.
	const leaked = 200
	if err := unix.Dup3(fd, leaked, 0); err != nil {
		t.Fatal(err)
	}
	defer unix.Close(leaked)
	r := s.runCommand(t, c, false)
	if !strings.Contains(","+r["fds"], ","+strconv.Itoa(leaked)+",") {
		t.Errorf("control: descriptor %d did not reach the payload (%s): the containment test's fds check proves nothing", leaked, r["fds"])
	}
}

// TestRealReadOnlyNoSeccomp: a read-only work dir cannot be written, and
// without a program no filter is installed (so the Seccomp check above can
// fail).
func TestRealReadOnlyNoSeccomp(t *testing.T) {
	s := newSandbox(t, needBwrap(t), false)
	r := s.run(t, nil)
	expect(t, r, map[string]string{"workdir": "readonly", "Seccomp": "0", "NoNewPrivs": "1", "CapEff": "0000000000000000"})
	if _, err := os.Stat(filepath.Join(s.work, "created")); err == nil {
		t.Error("the payload created a file in the read-only work dir")
	}
}

// TestRealSharedNet: without UnshareNet the payload sees the host's
// interfaces (so the "lo only" check above can fail).
func TestRealSharedNet(t *testing.T) {
	s := newSandbox(t, needBwrap(t), false)
	s.in.UnshareNet = false
	r := s.run(t, nil)
	if got, want := r["netdevs"], hostNetdevs(t); got != want {
		t.Errorf("shared network: interfaces %q, want the host's %q", got, want)
	}
}

func hostNetdevs(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("/proc/net/dev")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, line := range strings.Split(string(data), "\n")[2:] {
		if name, _, ok := strings.Cut(line, ":"); ok {
			names = append(names, strings.TrimSpace(name))
		}
	}
	slices.Sort(names)
	return strings.Join(names, ",") + ","
}

// markInheritedCloseOnExec does what the package documentation asks of
// the caller: no descriptor but ExtraFiles may reach bwrap, which passes
// every inherited descriptor on to the payload. Descriptors this process
// inherited without close-on-exec (from whatever started the tests) are
// marked close-on-exec; Go opens its own with the flag already.
func markInheritedCloseOnExec(t *testing.T) {
	t.Helper()
	if err := unix.CloseRange(3, ^uint(0), unix.CLOSE_RANGE_CLOEXEC); err != nil {
		t.Fatalf("close_range(CLOEXEC): %v", err)
	}
}

func defaultFilter(t *testing.T) []byte {
	t.Helper()
	prog, err := seccomp.Compile(seccomp.DefaultRules(), seccomp.Allow)
	if err != nil {
		t.Fatal(err)
	}
	return seccomp.Encode(prog)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
