//go:build linux

package fsview

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/procjail/procjail/internal/testutil"
	"golang.org/x/sys/unix"
)

func init() {
	children["view"] = childView
	children["apply-fails"] = childApplyFails
	children["run"] = childRun
	children["apply-proc-fails"] = childApplyProcFails
}

// viewFixture is a work dir, mounts and a harness laid out on the host.
type viewFixture struct {
	req   Request
	paths map[string]string
}

func newViewFixture(t *testing.T) viewFixture {
	t.Helper()
	base := t.TempDir()
	p := map[string]string{
		"work": filepath.Join(base, "work"), "ro": filepath.Join(base, "ro"),
		"rw": filepath.Join(base, "rw"), "harness": filepath.Join(base, "h", "harness.js"),
	}
	mustWrite(t, filepath.Join(p["work"], "file.txt"), "hello")
	mustWrite(t, filepath.Join(p["ro"], "ro.txt"), "ro")
	mustWrite(t, p["harness"], "// harness")
	if err := os.MkdirAll(p["rw"], 0o755); err != nil {
		t.Fatal(err)
	}
	// A previous run planted a link to the host's /etc in the work dir.
	if err := os.Symlink("/etc", filepath.Join(p["work"], "etc-link")); err != nil {
		t.Fatal(err)
	}
	req := Request{
		Runtime: firstExisting("/usr/bin/node", "/bin/sh"), Harness: p["harness"], WorkDir: p["work"],
		ReadOnly: []Pair{{Host: p["ro"], Sandbox: "/data"}}, Writable: []Pair{{Host: p["rw"]}},
		TmpBytes: 1 << 20, UID: 1000, GID: 1000, Hostname: "jail",
	}
	return viewFixture{req: req, paths: p}
}

// hostPrograms are real toolchain commands that must work inside the view,
// for those installed on this host.
func hostPrograms() []program {
	all := []program{
		{[]string{"/bin/sh", "-c", "echo sh-ok"}, "sh-ok"},
		{[]string{"/usr/bin/node", "-e", "console.log('node-' + 6*7, require('os').userInfo().username)"}, "node-42"},
		{[]string{"/usr/bin/python3", "-c", "import ssl, json, hashlib; print('py-%d' % 42, ssl.create_default_context().cert_store_stats()['x509_ca'] > 0)"}, "py-42 True"},
		{[]string{"/usr/bin/awk", "BEGIN{print \"awk-\" 6*7}"}, "awk-42"},
		{[]string{"/bin/sh", "-c", "cc --version >/dev/null && printf 'int main(void){return 42;}' | cc -x c -o /tmp/a.out - && /tmp/a.out; echo cc-$?"}, "cc-42"},
	}
	var out []program
	for _, p := range all {
		if _, err := os.Stat(p.Argv[0]); err != nil {
			continue
		}
		if strings.Contains(p.Want, "cc-") && !onPath("cc") {
			continue
		}
		out = append(out, p)
	}
	return out
}

func onPath(name string) bool {
	_, err := exec.LookPath(name)
	return err == nil
}

func readMountinfo(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestApplyView builds the view in a child cloned into new user, mount and
// pid namespaces and attacks it from inside: host secrets, host
// directories, writes to read-only places, a disk fill, a planted symlink,
// other processes. Real toolchains must still work.
func TestApplyView(t *testing.T) {
	for _, tc := range []struct {
		name string
		attr func() *syscall.SysProcAttr
	}{{"ns root", nsAttr}, {"stage user", stageAttr}} {
		t.Run(tc.name, func(t *testing.T) { testApplyView(t, tc.attr()) })
	}
}

// stageAttr clones a child the way procjail's stage runs: uid/gid 1000
// inside (mapped to ours), holding CAP_SYS_ADMIN only as an ambient
// capability of its user namespace.
func stageAttr() *syscall.SysProcAttr {
	a := nsAttr()
	a.UidMappings = []syscall.SysProcIDMap{{ContainerID: 1000, HostID: os.Getuid(), Size: 1}}
	a.GidMappings = []syscall.SysProcIDMap{{ContainerID: 1000, HostID: os.Getgid(), Size: 1}}
	a.Credential = &syscall.Credential{Uid: 1000, Gid: 1000, NoSetGroups: true}
	a.AmbientCaps = []uintptr{unix.CAP_SYS_ADMIN}
	return a
}

func testApplyView(t *testing.T, attr *syscall.SysProcAttr) {
	f := newViewFixture(t)
	plan, err := Build(f.req)
	if err != nil {
		t.Fatal(err)
	}
	before := readMountinfo(t)
	lines := runChild(t, "view", childArgs{Plan: &plan, Req: f.req, Programs: hostPrograms(), Paths: f.paths}, attr)
	t.Logf("child checks: %v", lines)
	if diff := cmp.Diff(before, readMountinfo(t)); diff != "" {
		t.Errorf("host mount table changed (-before +after):\n%s", diff)
	}
	var names []string
	for _, c := range viewChecks(childArgs{Req: f.req, Paths: f.paths}) {
		names = append(names, c.name)
	}
	requireChecks(t, lines, append(names, "apply", "programs")...)
	got, err := os.ReadFile(filepath.Join(f.paths["rw"], "written"))
	if err != nil || string(got) != "from inside" {
		t.Errorf("writable mount: host sees %q, %v", got, err)
	}
}

func childView(a childArgs, c *checker) {
	if err := a.Plan.Apply(); err != nil {
		c.fatal("apply", err)
	}
	c.check("apply", nil)
	for _, ck := range viewChecks(a) {
		c.check(ck.name, ck.fn())
	}
	c.check("programs", runPrograms(a.Programs))
}

type namedCheck struct {
	name string
	fn   func() error
}

// viewChecks are the attacks and probes run inside the view.
func viewChecks(a childArgs) []namedCheck {
	work, rw := a.Paths["work"], a.Paths["rw"]
	return []namedCheck{
		{"cwd is /", func() error { return wantEqual(getwd(), "/") }},
		{"usr readable", func() error { return nonEmptyDir("/usr/bin") }},
		{"host paths absent", checkAbsent},
		{"etc synthesized", func() error { return checkEtc(a.Req) }},
		{"etc shared", func() error { return statAll("/etc/ld.so.cache", "/etc/ssl/certs") }},
		{"root read-only", func() error { return wantErrno(os.WriteFile("/etc/x", nil, 0o644), unix.EROFS) }},
		{"root no mkdir", func() error { return wantErrno(os.Mkdir("/newdir", 0o755), unix.EROFS) }},
		{"dev read-only", func() error { return wantErrno(os.WriteFile("/dev/x", nil, 0o644), unix.EROFS) }},
		{"work dir read", func() error { return wantContent(filepath.Join(work, "file.txt"), "hello") }},
		{"work dir read-only", func() error { return wantErrno(os.WriteFile(filepath.Join(work, "new"), nil, 0o644), unix.EROFS) }},
		{"planted symlink", func() error { return checkPlantedLink(work) }},
		{"ro mount", func() error { return wantContent("/data/ro.txt", "ro") }},
		{"ro mount read-only", func() error { return wantErrno(os.WriteFile("/data/x", nil, 0o644), unix.EROFS) }},
		{"rw mount", func() error { return os.WriteFile(filepath.Join(rw, "written"), []byte("from inside"), 0o644) }},
		{"harness", func() error { return wantContent(a.Paths["harness"], "// harness") }},
		{"tmp fill", func() error { return checkTmpFill(a.Req.TmpBytes) }},
		{"dev shm", func() error { return os.WriteFile("/dev/shm/x", []byte("x"), 0o644) }},
		{"devices", checkDevices},
		{"links", checkLinks},
		{"proc pids", checkProcPids},
		{"mount flags", func() error { return checkFlags(work, rw) }},
		{"mountinfo", checkMountinfo},
	}
}

func getwd() string {
	wd, err := unix.Getwd()
	if err != nil {
		return err.Error()
	}
	return wd
}

func wantEqual(got, want string) error {
	if got != want {
		return fmt.Errorf("got %q, want %q", got, want)
	}
	return nil
}

func wantErrno(err error, want unix.Errno) error {
	if !errors.Is(err, want) {
		return fmt.Errorf("got %v, want %v", err, want)
	}
	return nil
}

func wantContent(p, want string) error {
	b, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	return wantEqual(string(b), want)
}

func nonEmptyDir(p string) error {
	ents, err := os.ReadDir(p)
	if err == nil && len(ents) == 0 {
		err = fmt.Errorf("%s is empty", p)
	}
	return err
}

func statAll(paths ...string) error {
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			return err
		}
	}
	return nil
}

// absentPaths must not exist inside: secrets, host identity, host
// directories and sockets, the stage's scratch mount points, terminals.
var absentPaths = []string{"/etc/shadow", "/etc/gshadow", "/etc/sudoers", "/etc/ssh", "/etc/ssl/private",
	"/etc/machine-id", "/etc/npmrc", "/etc/pip.conf", "/home", "/root", "/run", "/var/run", "/mnt", "/media",
	"/sys", "/srv", "/oldroot", "/newroot", "/dev/tty", "/dev/ptmx", "/dev/pts", "/dev/sda", "/dev/kmsg"}

func checkAbsent() error {
	for _, p := range absentPaths {
		if _, err := os.Lstat(p); !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("%s: got %v, want it absent", p, err)
		}
	}
	return nil
}

func checkEtc(req Request) error {
	if err := wantContent("/etc/hostname", "jail\n"); err != nil {
		return err
	}
	b, err := os.ReadFile("/etc/passwd")
	if err != nil {
		return err
	}
	want := fmt.Sprintf("sandbox:x:%d:%d:sandbox:/tmp:", req.UID, req.GID)
	if !strings.Contains(string(b), want) {
		return fmt.Errorf("/etc/passwd = %q, want a line with %q", b, want)
	}
	return nil
}

// checkPlantedLink follows a link planted in the work dir: it resolves in
// the view, where there is no shadow file.
func checkPlantedLink(work string) error {
	if _, err := os.ReadFile(filepath.Join(work, "etc-link", "shadow")); !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("reading etc-link/shadow: got %v, want not-exist", err)
	}
	b, err := os.ReadFile(filepath.Join(work, "etc-link", "passwd"))
	if err != nil || !strings.Contains(string(b), "sandbox:") {
		return fmt.Errorf("etc-link/passwd = %q, %v: want the view's own passwd", b, err)
	}
	return nil
}

// checkTmpFill writes one byte more than /tmp holds.
func checkTmpFill(size int64) error {
	err := os.WriteFile("/tmp/fill", make([]byte, size+1), 0o644)
	defer os.Remove("/tmp/fill")
	return wantErrno(err, unix.ENOSPC)
}

func checkDevices() error {
	if err := os.WriteFile("/dev/null", []byte("x"), 0o644); err != nil {
		return err
	}
	if err := wantErrno(os.WriteFile("/dev/full", []byte("x"), 0o644), unix.ENOSPC); err != nil {
		return fmt.Errorf("/dev/full: %w", err)
	}
	for _, dev := range []string{"/dev/zero", "/dev/urandom", "/dev/random"} {
		if err := readSome(dev); err != nil {
			return err
		}
	}
	return nil
}

func readSome(p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.ReadFull(f, make([]byte, 16))
	return err
}

func checkLinks() error {
	for link, want := range map[string]string{"/dev/fd": "/proc/self/fd", "/dev/stdout": "/proc/self/fd/1", "/var/tmp": "/tmp"} {
		got, err := os.Readlink(link)
		if err != nil {
			return err
		}
		if got != want {
			return fmt.Errorf("%s -> %s, want %s", link, got, want)
		}
	}
	return nil
}

// checkProcPids: the fresh /proc shows only the sandbox's own pid
// namespace, where this process is pid 1 and alone.
func checkProcPids() error {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return err
	}
	var pids []string
	for _, e := range ents {
		if e.Name()[0] >= '0' && e.Name()[0] <= '9' {
			pids = append(pids, e.Name())
		}
	}
	if len(pids) != 1 || pids[0] != "1" {
		return fmt.Errorf("/proc shows pids %v, want [1]", pids)
	}
	return nil
}

// checkFlags checks the per-mount flags: everything nosuid and nodev
// (devices: nosuid, noexec), read-only where promised.
func checkFlags(work, rw string) error {
	const ro, nosuid, nodev, noexec = unix.ST_RDONLY, unix.ST_NOSUID, stNodev, stNoexec
	for p, want := range map[string]int64{
		"/": ro | nosuid | nodev, "/usr": ro | nosuid | nodev, "/etc/ld.so.cache": ro | nosuid | nodev,
		work: ro | nosuid | nodev, "/data": ro | nosuid | nodev, "/tmp": nosuid | nodev, rw: nosuid | nodev,
		"/dev": ro | nosuid | nodev | noexec, "/dev/shm": nosuid | nodev, "/dev/null": nosuid | noexec,
		"/proc": nosuid | nodev | noexec, "/proc/sys": ro | nosuid | nodev | noexec,
	} {
		var st unix.Statfs_t
		if err := unix.Statfs(p, &st); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		got := int64(st.Flags) & (ro | nosuid | nodev | noexec)
		if got&want != want || (want&ro == 0 && got&ro != 0) {
			return fmt.Errorf("%s: flags %#x, want %#x", p, got, want)
		}
	}
	return nil
}

// checkMountinfo: no mount of the host's tree or the scratch root is left.
func checkMountinfo() error {
	b, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return err
	}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		mp, _ := mountPoint(line)
		if strings.HasPrefix(mp, "/oldroot") || strings.HasPrefix(mp, "/newroot") {
			return fmt.Errorf("leftover mount %q", line)
		}
	}
	return nil
}

// runPrograms runs each program inside the view and checks its output.
func runPrograms(progs []program) error {
	if len(progs) == 0 {
		return errors.New("no program to run")
	}
	for _, p := range progs {
		cmd := exec.Command(p.Argv[0], p.Argv[1:]...)
		cmd.Env = []string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/tmp", "LANG=C"}
		cmd.Dir = "/tmp"
		out, err := cmd.CombinedOutput()
		if err != nil || !bytes.Contains(out, []byte(p.Want)) {
			return fmt.Errorf("%v: %v, output %q, want %q", p.Argv, err, out, p.Want)
		}
	}
	return nil
}

// TestApplyRefusesSwappedSource: a source that was a plain file when the
// plan was built and is replaced by a symlink before Apply (what sandboxed
// code in an earlier run could do) makes Apply fail instead of binding the
// link's target.
func TestApplyRefusesSwappedSource(t *testing.T) {
	for _, tc := range []struct {
		name string
		swap func(t *testing.T, harness string)
	}{
		{"file", func(t *testing.T, h string) { replaceWithLink(t, h, "/etc/passwd") }},
		{"parent dir", func(t *testing.T, h string) {
			other := filepath.Join(t.TempDir(), "other")
			mustWrite(t, filepath.Join(other, filepath.Base(h)), "planted")
			replaceWithLink(t, filepath.Dir(h), other)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newViewFixture(t)
			plan, err := Build(f.req)
			if err != nil {
				t.Fatal(err)
			}
			tc.swap(t, f.paths["harness"])
			lines := runChild(t, "apply-fails", childArgs{Plan: &plan}, nsAttr())
			requireChecks(t, lines, "apply refused")
		})
	}
}

func replaceWithLink(t *testing.T, p, target string) {
	t.Helper()
	if err := os.RemoveAll(p); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, p); err != nil {
		t.Fatal(err)
	}
}

func childApplyFails(a childArgs, c *checker) {
	err := a.Plan.Apply()
	var se *StepError
	switch {
	case err == nil:
		err = errors.New("Apply succeeded")
	case !errors.Is(err, unix.ELOOP) || !errors.As(err, &se) || se.Hint == "":
		err = fmt.Errorf("got %v, want a hinted ELOOP StepError", err)
	default:
		err = nil
	}
	c.check("apply refused", err)
}

// childRun applies the plan and runs the programs.
func childRun(a childArgs, c *checker) {
	if err := a.Plan.Apply(); err != nil {
		c.fatal("apply", err)
	}
	c.check("programs", runPrograms(a.Programs))
}

// TestApplyBinaryOutsideUsr runs, inside the view, a program whose shared
// library sits next to it (DT_RUNPATH $ORIGIN/../lib, reached through a
// soname symlink) and a static Go program, both outside the system dirs.
func TestApplyBinaryOutsideUsr(t *testing.T) {
	if !onPath("cc") {
		testutil.Skip(t, testutil.MissingFeature, "cc", "a C compiler is needed to build the test program")
	}
	prefix := filepath.Join(t.TempDir(), "opt", "greet")
	buildGreet(t, prefix)
	static := filepath.Join(t.TempDir(), "tools", "prog")
	copyFile(t, os.Args[0], static)
	for _, tc := range []struct {
		runtime string
		prog    program
	}{
		{filepath.Join(prefix, "bin", "greet"), program{[]string{filepath.Join(prefix, "bin", "greet")}, "hello from libgreet"}},
		{static, program{[]string{static, "-test.run=^$"}, "PASS"}},
	} {
		t.Run(filepath.Base(tc.runtime), func(t *testing.T) {
			plan, err := Build(Request{Runtime: tc.runtime, UID: 1000, GID: 1000})
			if err != nil {
				t.Fatal(err)
			}
			lines := runChild(t, "run", childArgs{Plan: &plan, Programs: []program{tc.prog}}, nsAttr())
			requireChecks(t, lines, "programs")
		})
	}
}

// buildGreet compiles prefix/lib/libgreet.so.1.0 (soname libgreet.so.1,
// a symlink) and prefix/bin/greet linked against it with $ORIGIN.
func buildGreet(t *testing.T, prefix string) {
	t.Helper()
	src := t.TempDir()
	mustWrite(t, filepath.Join(src, "lib.c"), "#include <stdio.h>\nvoid greet(void){puts(\"hello from libgreet\");}\n")
	mustWrite(t, filepath.Join(src, "main.c"), "void greet(void);\nint main(void){greet();return 0;}\n")
	lib := filepath.Join(prefix, "lib")
	if err := os.MkdirAll(filepath.Join(prefix, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(lib, 0o755); err != nil {
		t.Fatal(err)
	}
	run(t, "cc", "-shared", "-fPIC", "-Wl,-soname,libgreet.so.1", "-o", filepath.Join(lib, "libgreet.so.1.0"), filepath.Join(src, "lib.c"))
	if err := os.Symlink("libgreet.so.1.0", filepath.Join(lib, "libgreet.so.1")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("libgreet.so.1", filepath.Join(lib, "libgreet.so")); err != nil {
		t.Fatal(err)
	}
	run(t, "cc", "-o", filepath.Join(prefix, "bin", "greet"), filepath.Join(src, "main.c"), "-L"+lib, "-lgreet",
		"-Wl,--enable-new-dtags,-rpath,$ORIGIN/../lib")
}

func run(t *testing.T, name string, args ...string) {
	t.Helper()
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o755); err != nil {
		t.Fatal(err)
	}
}

// TestApplyPyenvPrefix runs a python installed under a prefix outside
// /usr (pyenv), whose standard library lives in the prefix.
func TestApplyPyenvPrefix(t *testing.T) {
	matches, _ := filepath.Glob("/root/.pyenv/versions/3.*/bin/python3.*[0-9]")
	if len(matches) == 0 {
		if _, err := os.Stat("/root/.pyenv/versions"); err != nil && os.Getuid() != 0 {
			testutil.Skip(t, testutil.NotForThisCaller, "pyenv", "/root is not readable by this uid")
		}
		testutil.Skip(t, testutil.MissingFeature, "pyenv", "no pyenv python under /root/.pyenv")
	}
	py := matches[0]
	plan, err := Build(Request{Runtime: py, UID: 1000, GID: 1000})
	if err != nil {
		t.Fatal(err)
	}
	prog := program{[]string{py, "-c", "import json, ssl, decimal, sys; print('pyenv-ok', sys.prefix)"}, "pyenv-ok /root/.pyenv/versions/"}
	lines := runChild(t, "run", childArgs{Plan: &plan, Programs: []program{prog}}, nsAttr())
	requireChecks(t, lines, "programs")
}

// TestCheckMountNSRefusesHostNamespace: Apply refuses to run in a mount
// namespace it shares with its parent (tested on the guard itself: running
// Apply in this test process as root would rearrange this machine's
// mounts).
func TestCheckMountNSRefusesHostNamespace(t *testing.T) {
	parent := fmt.Sprintf("/proc/%d/ns/mnt", os.Getppid())
	if _, err := os.Readlink(parent); err != nil {
		testutil.Skip(t, testutil.NotForThisCaller, "parent mount namespace", "cannot read the parent's mount namespace as this uid: "+err.Error())
	}
	self, _ := os.Readlink("/proc/self/ns/mnt")
	if ns, _ := os.Readlink(parent); ns != self {
		testutil.Skip(t, testutil.NotForThisCaller, "parent mount namespace", "the parent runs in another mount namespace")
	}
	if err := checkMountNS(); !errors.Is(err, unix.EPERM) {
		t.Fatalf("checkMountNS() = %v, want EPERM", err)
	}
}

// TestApplyProcNeedsPidNamespace: without a pid namespace of its own the
// kernel refuses a fresh /proc, and Apply says so with a hint.
func TestApplyProcNeedsPidNamespace(t *testing.T) {
	plan := mustBuild(t, Request{Runtime: "/bin/sh"})
	attr := nsAttr()
	attr.Cloneflags &^= syscall.CLONE_NEWPID
	lines := runChild(t, "apply-proc-fails", childArgs{Plan: &plan}, attr)
	requireChecks(t, lines, "proc refused")
}

func childApplyProcFails(a childArgs, c *checker) {
	err := a.Plan.Apply()
	var se *StepError
	if !errors.As(err, &se) || se.Step != string(OpProc) || se.Hint != procHint || !errors.Is(err, unix.EPERM) {
		err = fmt.Errorf("got %v, want the proc step's EPERM with its hint", err)
	} else {
		err = nil
	}
	c.check("proc refused", err)
}
