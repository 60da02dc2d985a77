//go:build linux

package fsview

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"

	ll "github.com/landlock-lsm/go-landlock/landlock/syscall"
	"github.com/procjail/procjail/internal/testutil"
	"golang.org/x/sys/unix"
)

func init() {
	children["landlock-view"] = childLandlockView
	children["landlock-host"] = childLandlockHost
	children["landlock-no-nnp"] = childLandlockNoNNP
}

func requireLandlock(t *testing.T) int {
	t.Helper()
	abi, why := landlockABI()
	if abi == 0 {
		testutil.Skip(t, testutil.MissingFeature, "landlock", why)
	}
	return abi
}

// restrictThread locks the calling goroutine to its OS thread for good and
// sets no_new_privs on it, as the stage does before ApplyLandlock.
func restrictThread() error {
	runtime.LockOSThread()
	return unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
}

// TestLandlockView applies the view's rules inside the view: real
// toolchains still work, the report is exact, signals to the stage are
// scoped, and a narrower second ruleset really denies what it leaves out.
func TestLandlockView(t *testing.T) {
	requireLandlock(t)
	f := newViewFixture(t)
	plan, err := Build(f.req)
	if err != nil {
		t.Fatal(err)
	}
	lines := runChild(t, "landlock-view", childArgs{Plan: &plan, Req: f.req, Programs: hostPrograms(), Paths: f.paths}, nsAttr())
	t.Logf("child checks: %v", lines)
	requireChecks(t, lines, "apply", "kill before", "landlock", "report", "programs", "tmp writable", "rw writable",
		"signal scoped", "narrowed: rw denied", "narrowed: ro denied", "narrowed: tmp denied", "narrowed: shm writable")
}

func childLandlockView(a childArgs, c *checker) {
	if err := a.Plan.Apply(); err != nil {
		c.fatal("apply", err)
	}
	c.check("apply", nil)
	c.check("kill before", exec.Command("/bin/sh", "-c", "kill -0 1").Run())
	if err := restrictThread(); err != nil {
		c.fatal("nnp", err)
	}
	rep, err := ApplyLandlock(a.Plan.LandlockRules(), LandlockOptions{})
	if err == nil {
		err = rep.Require(1)
	}
	if err != nil {
		c.fatal("landlock", err)
	}
	c.check("landlock", nil)
	c.check("report", checkReport(rep))
	c.check("programs", runPrograms(a.Programs))
	c.check("tmp writable", os.WriteFile("/tmp/after", []byte("x"), 0o644))
	c.check("rw writable", os.WriteFile(filepath.Join(a.Paths["rw"], "after"), []byte("x"), 0o644))
	c.check("signal scoped", checkSignalScoped(rep))
	narrowed(a, c)
}

// checkReport: the report names the kernel's ABI and all of its filesystem
// rights, no network rights (none asked), and both scopes from ABI 6.
func checkReport(rep LandlockReport) error {
	p := presets[rep.ABI]
	switch {
	case rep.HandledAccessFS != p.HandledAccessFS:
		return fmt.Errorf("fs %v, want %v", rep.HandledAccessFS, p.HandledAccessFS)
	case rep.HandledAccessNet != 0:
		return fmt.Errorf("net %v, want none", rep.HandledAccessNet)
	case rep.ABI >= 6 && rep.Scoped != ll.ScopeSignal|ll.ScopeAbstractUnixSocket:
		return fmt.Errorf("scoped %v at ABI %d", rep.Scoped, rep.ABI)
	case len(rep.Rules) == 0:
		return errors.New("no rules added")
	}
	return nil
}

// checkSignalScoped: from ABI 6 a process of the sandbox cannot signal
// the stage (pid 1 here), which is outside its Landlock domain.
func checkSignalScoped(rep LandlockReport) error {
	err := exec.Command("/bin/sh", "-c", "kill -0 1").Run()
	if rep.ABI < 6 {
		return nil
	}
	if err == nil {
		return errors.New("kill -0 1 succeeded from inside the domain")
	}
	return nil
}

// narrowed stacks a second ruleset without the mounts and /tmp (the
// writable mount lies under /tmp, and a rule covers everything beneath
// its path): access to them is now denied (EACCES), proving the rules are
// enforced, not just accepted.
func narrowed(a childArgs, c *checker) {
	var rules []Rule
	for _, r := range a.Plan.LandlockRules() {
		if r.Path != a.Paths["rw"] && r.Path != "/data" && r.Path != "/tmp" {
			rules = append(rules, r)
		}
	}
	if _, err := ApplyLandlock(rules, LandlockOptions{}); err != nil {
		c.fatal("narrowed", err)
	}
	c.check("narrowed: rw denied", wantErrno(os.WriteFile(filepath.Join(a.Paths["rw"], "denied"), nil, 0o644), unix.EACCES))
	_, err := os.ReadFile("/data/ro.txt")
	c.check("narrowed: ro denied", wantErrno(err, unix.EACCES))
	c.check("narrowed: tmp denied", wantErrno(os.WriteFile("/tmp/narrowed", nil, 0o644), unix.EACCES))
	c.check("narrowed: shm writable", os.WriteFile("/dev/shm/narrowed", []byte("x"), 0o644))
}

// TestLandlockHost applies HostLandlockRules in a child without any
// namespace: it may write only its work dir, reads of unlisted host files
// fail, only the allowed TCP port can be reached, and runtimes still work.
func TestLandlockHost(t *testing.T) {
	abi := requireLandlock(t)
	f := newViewFixture(t)
	req := f.req
	req.WritableWorkDir = true
	outside := t.TempDir()
	secret := filepath.Join(t.TempDir(), "secret")
	mustWrite(t, secret, "secret")
	allowed, denied := listen(t), listen(t)
	paths := map[string]string{"work": req.WorkDir, "outside": outside, "secret": secret,
		"allowed": strconv.Itoa(allowed), "denied": strconv.Itoa(denied), "abi": strconv.Itoa(abi)}
	var progs []program
	for _, p := range hostPrograms() {
		if p.Want != "cc-42" { // cc writes the host's /tmp, which this policy denies
			progs = append(progs, p)
		}
	}
	lines := runChild(t, "landlock-host", childArgs{Req: req, Paths: paths, Programs: progs}, nil)
	t.Logf("child checks: %v", lines)
	requireChecks(t, lines, "before: outside writable", "before: secret readable", "landlock", "work writable",
		"outside denied", "secret denied", "shadow denied", "child denied", "programs", "tcp allowed", "tcp denied")
}

func listen(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
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
			c.Close()
		}
	}()
	return l.Addr().(*net.TCPAddr).Port
}

func childLandlockHost(a childArgs, c *checker) {
	p := a.Paths
	c.check("before: outside writable", os.WriteFile(filepath.Join(p["outside"], "before"), nil, 0o644))
	_, err := os.ReadFile(p["secret"])
	c.check("before: secret readable", err)
	rules, err := HostLandlockRules(a.Req)
	if err != nil {
		c.fatal("rules", err)
	}
	if err := restrictThread(); err != nil {
		c.fatal("nnp", err)
	}
	allowed, _ := strconv.Atoi(p["allowed"])
	rep, err := ApplyLandlock(rules, LandlockOptions{Net: &NetPolicy{ConnectTCP: []uint16{uint16(allowed)}}})
	if err == nil {
		err = rep.Require(1)
	}
	if err != nil {
		c.fatal("landlock", err)
	}
	c.check("landlock", nil)
	hostChecks(a, rep, c)
}

func hostChecks(a childArgs, rep LandlockReport, c *checker) {
	p := a.Paths
	c.check("work writable", os.WriteFile(filepath.Join(p["work"], "written"), []byte("x"), 0o644))
	c.check("outside denied", wantErrno(os.WriteFile(filepath.Join(p["outside"], "after"), nil, 0o644), unix.EACCES))
	_, err := os.ReadFile(p["secret"])
	c.check("secret denied", wantErrno(err, unix.EACCES))
	_, err = os.ReadFile("/etc/shadow")
	c.check("shadow denied", wantPermission(err))
	c.check("child denied", wantFail(exec.Command("/bin/sh", "-c", "cat "+p["secret"]).Run()))
	c.check("programs", runPrograms(a.Programs))
	c.check("tcp allowed", dial(p["allowed"]))
	err = dial(p["denied"])
	if rep.ABI < 4 {
		err = errors.New("expected") // no network rights before ABI 4
	}
	c.check("tcp denied", wantFail(err))
}

func wantPermission(err error) error {
	if !errors.Is(err, fs.ErrPermission) {
		return fmt.Errorf("got %v, want a permission error", err)
	}
	return nil
}

func wantFail(err error) error {
	if err == nil {
		return errors.New("succeeded, want a failure")
	}
	return nil
}

func dial(port string) error {
	conn, err := net.Dial("tcp4", "127.0.0.1:"+port)
	if err == nil {
		conn.Close()
	}
	return err
}

// TestLandlockRequiresNoNewPrivs: without no_new_privs ApplyLandlock
// refuses (even when CAP_SYS_ADMIN would let the kernel accept it).
func TestLandlockRequiresNoNewPrivs(t *testing.T) {
	requireLandlock(t)
	lines := runChild(t, "landlock-no-nnp", childArgs{}, nil)
	requireChecks(t, lines, "refused")
}

func childLandlockNoNNP(_ childArgs, c *checker) {
	runtime.LockOSThread()
	rep, err := ApplyLandlock([]Rule{{Path: "/usr", Access: AccessReadExec}}, LandlockOptions{})
	if err == nil || rep.Enforced || !errors.Is(err, unix.EPERM) {
		err = fmt.Errorf("got %v (enforced %v), want EPERM", err, rep.Enforced)
	} else {
		err = nil
	}
	c.check("refused", err)
}
