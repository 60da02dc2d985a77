package fsview

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// opsOutside returns the ops of plan whose target is not part of the fixed
// skeleton (/tmp, /dev, /proc, /etc, system dirs), as "kind target
// [source|link]" strings.
func opsOutside(plan Plan) []string {
	var out []string
	for _, op := range plan.Ops {
		if skeleton(op.Target) {
			continue
		}
		s := string(op.Kind) + " " + op.Target
		switch {
		case op.Kind == OpSymlink:
			s += " -> " + op.LinkTo
		case op.Source != op.Target:
			s += " <- " + op.Source
		}
		out = append(out, s)
	}
	return out
}

func skeleton(target string) bool {
	for _, root := range append([]string{"/tmp", "/var/tmp", "/dev", "/proc", "/etc"}, systemDirs...) {
		if target == root || (strictlyUnder(target, root) && root != "/tmp") {
			return true
		}
	}
	return false
}

func mustBuild(t *testing.T, req Request) Plan {
	t.Helper()
	if req.UID == 0 {
		req.UID, req.GID = 1000, 1000
	}
	plan, err := Build(req)
	if err != nil {
		t.Fatalf("Build(%+v): %v", req, err)
	}
	return plan
}

func findOp(plan Plan, target string) (Op, bool) {
	for _, op := range plan.Ops {
		if op.Target == target {
			return op, true
		}
	}
	return Op{}, false
}

func TestBuildSkeleton(t *testing.T) {
	plan := mustBuild(t, Request{Runtime: "/bin/sh"})
	if got := opsOutside(plan); len(got) != 0 {
		t.Errorf("sh needs nothing beyond the skeleton, got %v", got)
	}
	for target, kind := range map[string]OpKind{
		"/tmp": OpTmpfs, "/dev": OpTmpfs, "/dev/shm": OpTmpfs, "/dev/null": OpDevice, "/proc": OpProc,
		"/proc/sys": OpProcRO, "/usr": OpBindRO, "/etc": OpDir, "/etc/passwd": OpFile, "/var/tmp": OpSymlink,
	} {
		op, ok := findOp(plan, target)
		if !ok || op.Kind != kind {
			t.Errorf("%s: got %+v, want a %s step", target, op, kind)
		}
	}
	for _, target := range []string{"/home", "/root", "/run", "/sys", "/dev/tty", "/dev/ptmx", "/mnt"} {
		if op, ok := findOp(plan, target); ok {
			t.Errorf("unexpected step %+v", op)
		}
	}
	if tmp, _ := findOp(plan, "/tmp"); tmp.Size != DefaultTmpBytes || tmp.Mode != 0o1777 {
		t.Errorf("/tmp = %+v, want the default size, mode 1777", tmp)
	}
}

// TestBuildMergedUsr: /bin, /lib... are recreated as symlinks when they
// are symlinks on the host, bound when they are directories.
func TestBuildMergedUsr(t *testing.T) {
	plan := mustBuild(t, Request{Runtime: "/bin/sh"})
	for _, dir := range systemDirs[1:] {
		fi, err := os.Lstat(dir)
		if err != nil {
			continue
		}
		op, ok := findOp(plan, dir)
		want := OpBindRO
		if fi.Mode()&fs.ModeSymlink != 0 {
			want = OpSymlink
		}
		if !ok || op.Kind != want {
			t.Errorf("%s: got %+v, want %s", dir, op, want)
		}
	}
}

func TestBuildStaticOutsideUsr(t *testing.T) {
	prog := filepath.Join(t.TempDir(), "tools", "prog")
	writeELF(t, prog, elfSpec{})
	got := opsOutside(mustBuild(t, Request{Runtime: prog}))
	if diff := cmp.Diff([]string{"bind-ro " + prog}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestBuildDynamicOutsideUsr: the program, its soname symlink and the
// library it names are all made visible; the interpreter (under the merged
// /usr) needs nothing more.
func TestBuildDynamicOutsideUsr(t *testing.T) {
	dir := t.TempDir()
	app := filepath.Join(dir, "app", "bin", "app")
	lib := filepath.Join(dir, "app", "lib")
	writeELF(t, app, elfSpec{interp: "/lib64/ld-linux-x86-64.so.2", needed: []string{"libfoo.so.1", "libc.so.6"}, runpath: "$ORIGIN/../lib"})
	writeELF(t, filepath.Join(lib, "libfoo.so.1.2"), elfSpec{dynamic: true})
	if err := os.Symlink("libfoo.so.1.2", filepath.Join(lib, "libfoo.so.1")); err != nil {
		t.Fatal(err)
	}
	got := opsOutside(mustBuild(t, Request{Runtime: app}))
	want := []string{"bind-ro " + app, "symlink " + lib + "/libfoo.so.1 -> libfoo.so.1.2", "bind-ro " + lib + "/libfoo.so.1.2"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestBuildRuntimePrefix: node and python installed under a prefix get the
// prefix bound (their standard library lives there); a venv's python,
// a symlink to the system one, gets its venv.
func TestBuildRuntimePrefix(t *testing.T) {
	dir := t.TempDir()
	node := filepath.Join(dir, "node-v20", "bin", "node")
	writeELF(t, node, elfSpec{})
	if err := os.MkdirAll(filepath.Join(dir, "node-v20", "lib", "node_modules", "npm"), 0o755); err != nil {
		t.Fatal(err)
	}
	py := filepath.Join(dir, "py", "bin", "python3.11")
	writeELF(t, py, elfSpec{})
	if err := os.MkdirAll(filepath.Join(dir, "py", "lib", "python3.11"), 0o755); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other", "bin", "tool") // not a runtime: the file only
	writeELF(t, other, elfSpec{})
	if err := os.MkdirAll(filepath.Join(dir, "other", "lib", "node_modules"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		runtime string
		want    []string
	}{
		{node, []string{"bind-ro " + filepath.Join(dir, "node-v20")}},
		{py, []string{"bind-ro " + filepath.Join(dir, "py")}},
		{other, []string{"bind-ro " + other}},
	} {
		if diff := cmp.Diff(tc.want, opsOutside(mustBuild(t, Request{Runtime: tc.runtime}))); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.runtime, diff)
		}
	}
}

func TestBuildVenv(t *testing.T) {
	sys := firstExisting("/usr/bin/python3", "/bin/sh")
	venv := filepath.Join(t.TempDir(), "venv")
	mustWrite(t, filepath.Join(venv, "pyvenv.cfg"), "home = /usr/bin\n")
	py := filepath.Join(venv, "bin", "python")
	if err := os.MkdirAll(filepath.Dir(py), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(sys, py); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"bind-ro " + venv}, opsOutside(mustBuild(t, Request{Runtime: py}))); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestBuildScript: a "#!" script's interpreter (with its argument) is made
// visible too; "#!/usr/bin/env node" needs nothing beyond /usr.
func TestBuildScript(t *testing.T) {
	dir := t.TempDir()
	interp := filepath.Join(dir, "interp", "run")
	writeELF(t, interp, elfSpec{})
	script := filepath.Join(dir, "scripts", "job")
	mustWrite(t, script, "#!"+interp+" -x\necho\n")
	want := []string{"bind-ro " + script, "bind-ro " + interp}
	if diff := cmp.Diff(want, opsOutside(mustBuild(t, Request{Runtime: script}))); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	envScript := filepath.Join(dir, "scripts", "env-job")
	mustWrite(t, envScript, "#!/usr/bin/env node\n")
	if diff := cmp.Diff([]string{"bind-ro " + envScript}, opsOutside(mustBuild(t, Request{Runtime: envScript}))); diff != "" {
		t.Errorf("env script (-want +got):\n%s", diff)
	}
}

// TestBuildUntrustedRuntime: a runtime in the work dir is the sandboxed
// code's own. A "#!/etc/shadow" line, a DT_RUNPATH into /etc or a symlink
// out of the work dir must not bind anything from the host.
func TestBuildUntrustedRuntime(t *testing.T) {
	work := filepath.Join(t.TempDir(), "work")
	script := filepath.Join(work, "evil.sh")
	mustWrite(t, script, "#!/etc/shadow\n")
	elfProg := filepath.Join(work, "evil")
	writeELF(t, elfProg, elfSpec{needed: []string{"shadow"}, runpath: "/etc"})
	link := filepath.Join(work, "link")
	if err := os.Symlink("/etc/passwd", link); err != nil {
		t.Fatal(err)
	}
	for _, rt := range []string{script, elfProg, link} {
		got := opsOutside(mustBuild(t, Request{Runtime: rt, WorkDir: work}))
		if diff := cmp.Diff([]string{"bind-ro " + work}, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", rt, diff)
		}
	}
}

// TestBuildSystemLinkIntoWorkDir: a system path whose symlink leads into
// the work dir is not followed any further on the host (what lies there
// may be a planted link to anywhere).
func TestBuildSystemLinkIntoWorkDir(t *testing.T) {
	dir := t.TempDir()
	work := filepath.Join(dir, "work")
	if err := os.MkdirAll(work, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/etc/passwd", filepath.Join(work, "planted")); err != nil {
		t.Fatal(err)
	}
	rt := filepath.Join(dir, "bin", "rt")
	if err := os.MkdirAll(filepath.Dir(rt), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(work, "planted"), rt); err != nil {
		t.Fatal(err)
	}
	got := opsOutside(mustBuild(t, Request{Runtime: rt, WorkDir: work}))
	want := []string{"symlink " + rt + " -> " + filepath.Join(work, "planted"), "bind-ro " + work}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestBuildUserBinds(t *testing.T) {
	dir := t.TempDir()
	work, ro, rw, harness, inside := filepath.Join(dir, "w"), filepath.Join(dir, "ro"), filepath.Join(dir, "rw"),
		filepath.Join(dir, "h.js"), filepath.Join(dir, "w", "h.js")
	for _, d := range []string{work, ro, rw} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	mustWrite(t, harness, "")
	mustWrite(t, inside, "")
	got := opsOutside(mustBuild(t, Request{Runtime: "/bin/sh", WorkDir: work, WritableWorkDir: true, Harness: harness,
		ReadOnly: []Pair{{Host: ro, Sandbox: "/data"}}, Writable: []Pair{{Host: rw}}}))
	want := []string{"bind-ro /data <- " + ro, "bind-ro " + harness, "bind-rw " + rw, "bind-rw " + work}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	got = opsOutside(mustBuild(t, Request{Runtime: "/bin/sh", WorkDir: work, Harness: inside}))
	if diff := cmp.Diff([]string{"bind-ro " + work}, got); diff != "" {
		t.Errorf("harness inside the work dir needs no bind (-want +got):\n%s", diff)
	}
}

func TestBuildRejects(t *testing.T) {
	dir := t.TempDir()
	work := filepath.Join(dir, "work")
	if err := os.MkdirAll(filepath.Join(work, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(work, link); err != nil {
		t.Fatal(err)
	}
	ok := Request{Runtime: "/bin/sh", WorkDir: work}
	with := func(f func(*Request)) Request { r := ok; f(&r); return r }
	for _, tc := range []struct {
		name string
		req  Request
		want error
	}{
		{"relative runtime", with(func(r *Request) { r.Runtime = "sh" }), ErrInvalid},
		{"missing runtime", with(func(r *Request) { r.Runtime = "/nonexistent/sh" }), fs.ErrNotExist},
		{"relative work dir", with(func(r *Request) { r.WorkDir = "work" }), ErrInvalid},
		{"dotdot work dir", with(func(r *Request) { r.WorkDir = work + "/../work" }), ErrInvalid},
		{"unclean work dir", with(func(r *Request) { r.WorkDir = work + "/" }), ErrInvalid},
		{"missing work dir", with(func(r *Request) { r.WorkDir = dir + "/nope" }), fs.ErrNotExist},
		{"symlinked work dir", with(func(r *Request) { r.WorkDir = link }), ErrInvalid},
		{"symlink component", with(func(r *Request) { r.ReadOnly = []Pair{{Host: link + "/sub", Sandbox: "/x"}} }), ErrInvalid},
		{"symlinked harness", with(func(r *Request) { r.Harness = link }), ErrInvalid},
		{"work dir is /", with(func(r *Request) { r.WorkDir = "/" }), ErrInvalid},
		{"target /proc", with(func(r *Request) { r.ReadOnly = []Pair{{Host: work, Sandbox: "/proc/x"}} }), ErrInvalid},
		{"target /dev", with(func(r *Request) { r.Writable = []Pair{{Host: work, Sandbox: "/dev/sda"}} }), ErrInvalid},
		{"target /sys", with(func(r *Request) { r.ReadOnly = []Pair{{Host: work, Sandbox: "/sys"}} }), ErrInvalid},
		{"target /oldroot", with(func(r *Request) { r.ReadOnly = []Pair{{Host: work, Sandbox: "/oldroot/x"}} }), ErrInvalid},
		{"target dotdot", with(func(r *Request) { r.ReadOnly = []Pair{{Host: work, Sandbox: "/a/../proc"}} }), ErrInvalid},
		{"target under /usr", with(func(r *Request) { r.ReadOnly = []Pair{{Host: work, Sandbox: "/usr/local/x"}} }), ErrInvalid},
		{"target under work dir", with(func(r *Request) { r.Writable = []Pair{{Host: dir, Sandbox: work + "/sub"}} }), ErrInvalid},
		{"target hides /etc", with(func(r *Request) { r.ReadOnly = []Pair{{Host: work, Sandbox: "/etc"}} }), ErrInvalid},
		{"target is /tmp", with(func(r *Request) { r.ReadOnly = []Pair{{Host: work, Sandbox: "/tmp"}} }), ErrInvalid},
		{"duplicate target", with(func(r *Request) {
			r.ReadOnly = []Pair{{Host: work + "/sub", Sandbox: "/x"}, {Host: dir, Sandbox: "/x"}}
		}), ErrInvalid},
		{"source under /proc", with(func(r *Request) { r.ReadOnly = []Pair{{Host: "/proc/self", Sandbox: "/x"}} }), ErrInvalid},
		{"negative tmp", with(func(r *Request) { r.TmpBytes = -1 }), ErrInvalid},
		{"tiny tmp", with(func(r *Request) { r.TmpBytes = 100 }), ErrInvalid},
		{"hostname newline", with(func(r *Request) { r.Hostname = "a\nb" }), ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Build(tc.req)
			var se *StepError
			if !errors.Is(err, tc.want) || !errors.As(err, &se) {
				t.Fatalf("Build = %v, want a *StepError wrapping %v", err, tc.want)
			}
		})
	}
}

func TestBuildEtc(t *testing.T) {
	saved := EtcShared
	t.Cleanup(func() { EtcShared = saved })
	EtcShared = append(append([]string{}, saved...), "shadow", "ssh", "ssl/private", "sudoers")
	plan := mustBuild(t, Request{Runtime: "/bin/sh"})
	for _, op := range plan.Ops {
		rel := strings.TrimPrefix(op.Target, "/etc/")
		if strings.HasPrefix(op.Target, "/etc/") && etcDenied(rel) {
			t.Errorf("denied /etc entry in the view: %+v", op)
		}
	}
	if _, err := os.Stat("/etc/alternatives"); err == nil {
		if op, ok := findOp(plan, "/etc/alternatives"); !ok || op.Kind != OpBindRO || op.Access != AccessRead {
			t.Errorf("/etc/alternatives: %+v", op)
		}
	}
}

func TestPasswdGroup(t *testing.T) {
	for _, tc := range []struct {
		uid, gid      int
		passwd, group string
	}{
		{1000, 1000,
			"root:x:0:0:root:/root:/usr/sbin/nologin\nsandbox:x:1000:1000:sandbox:/tmp:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
			"root:x:0:\nsandbox:x:1000:\nnogroup:x:65534:\n"},
		{65534, 65534,
			"root:x:0:0:root:/root:/usr/sbin/nologin\nsandbox:x:65534:65534:sandbox:/tmp:/bin/sh\n",
			"root:x:0:\nsandbox:x:65534:\n"},
		{0, 0,
			"root:x:0:0:root:/root:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
			"root:x:0:\nnogroup:x:65534:\n"},
	} {
		if diff := cmp.Diff(tc.passwd, passwd(tc.uid, tc.gid)); diff != "" {
			t.Errorf("passwd(%d) (-want +got):\n%s", tc.uid, diff)
		}
		if diff := cmp.Diff(tc.group, group(tc.gid)); diff != "" {
			t.Errorf("group(%d) (-want +got):\n%s", tc.gid, diff)
		}
	}
}

func TestParseShebang(t *testing.T) {
	for _, tc := range []struct {
		in, interp, arg string
		ok              bool
	}{
		{"#!/bin/sh\n", "/bin/sh", "", true},
		{"#! /usr/bin/env  node  \nx", "/usr/bin/env", "node", true},
		{"#!/usr/bin/env -S python3 -u\n", "/usr/bin/env", "-S python3 -u", true},
		{"#!\t/opt/x/bin/tool\t-x", "/opt/x/bin/tool", "-x", true},
		{"#!\n", "", "", false},
		{"#", "", "", false},
		{"\x7fELF", "", "", false},
	} {
		interp, arg, ok := parseShebang([]byte(tc.in))
		if interp != tc.interp || arg != tc.arg || ok != tc.ok {
			t.Errorf("parseShebang(%q) = %q, %q, %v", tc.in, interp, arg, ok)
		}
	}
}

func FuzzParseShebang(f *testing.F) {
	f.Add([]byte("#!/bin/sh -e\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		interp, _, ok := parseShebang(b)
		if ok && (interp == "" || strings.ContainsAny(interp, " \t\n")) {
			t.Fatalf("bad interpreter %q from %q", interp, b)
		}
	})
}

// TestBuildPrefixAfterFiles: a script's interpreter whose prefix contains
// a file the script already needed gets the prefix alone.
func TestBuildPrefixAfterFiles(t *testing.T) {
	dir := t.TempDir()
	prefix := filepath.Join(dir, "node")
	node := filepath.Join(prefix, "bin", "node")
	writeELF(t, node, elfSpec{})
	if err := os.MkdirAll(filepath.Join(prefix, "lib", "node_modules"), 0o755); err != nil {
		t.Fatal(err)
	}
	// The runtime is a script inside the prefix (like npm's CLI), whose
	// interpreter is the prefix's node.
	script := filepath.Join(prefix, "tools", "cli.js")
	mustWrite(t, script, "#!"+node+"\n")
	if diff := cmp.Diff([]string{"bind-ro " + prefix}, opsOutside(mustBuild(t, Request{Runtime: script}))); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
