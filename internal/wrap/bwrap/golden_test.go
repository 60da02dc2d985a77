package bwrap

import (
	"embed"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/procjail/procjail/internal/fsview"
	"github.com/procjail/procjail/internal/testutil"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenFiles are embedded: the unprivileged re-run of the tests runs
// from another directory.
//
//go:embed testdata/*.golden
var goldenFiles embed.FS

// typicalPlan is a plan of the shape fsview.Build makes for a runtime in
// /usr with a work dir, written out so that the golden files do not
// depend on the host.
func typicalPlan(writable bool) *fsview.Plan {
	work := fsview.Op{Kind: fsview.OpBindRO, Source: "/home/u/pkg", Target: "/home/u/pkg"}
	if writable {
		work.Kind = fsview.OpBindRW
	}
	return &fsview.Plan{RootBytes: 4 << 20, Ops: []fsview.Op{
		{Kind: fsview.OpTmpfs, Target: "/tmp", Size: 64 << 20, Mode: 0o1777},
		{Kind: fsview.OpSymlink, Target: "/var/tmp", LinkTo: "/tmp"},
		{Kind: fsview.OpTmpfs, Target: "/dev", Size: 64 << 10, Mode: 0o755, NoExec: true, Seal: true},
		{Kind: fsview.OpDevice, Source: "/dev/null", Target: "/dev/null"},
		{Kind: fsview.OpDevice, Source: "/dev/full", Target: "/dev/full", Optional: true},
		{Kind: fsview.OpSymlink, Target: "/dev/fd", LinkTo: "/proc/self/fd"},
		{Kind: fsview.OpTmpfs, Target: "/dev/shm", Size: 64 << 20, Mode: 0o1777},
		{Kind: fsview.OpProc, Target: "/proc"},
		{Kind: fsview.OpProcRO, Target: "/proc/sys", Optional: true},
		{Kind: fsview.OpBindRO, Source: "/usr", Target: "/usr"},
		{Kind: fsview.OpSymlink, Target: "/bin", LinkTo: "usr/bin"},
		{Kind: fsview.OpDir, Target: "/etc", Mode: 0o755},
		{Kind: fsview.OpFile, Target: "/etc/passwd", Content: "root:x:0:0:root:/root:/usr/sbin/nologin\n", Mode: 0o644},
		{Kind: fsview.OpBindRO, Source: "/etc/ld.so.cache", Target: "/etc/ld.so.cache", Optional: true},
		{Kind: fsview.OpSymlink, Target: "/etc/localtime", LinkTo: "/usr/share/zoneinfo/Etc/UTC"},
		work,
	}}
}

func typicalInput() Input {
	return Input{
		Plan:     typicalPlan(false),
		Argv:     []string{"/usr/bin/node", "/home/u/pkg/harness.js", "--flag with space"},
		Env:      []string{"PATH=/usr/bin:/bin", "HOME=/tmp", "EMPTY=", "WITH_EQUALS=a=b"},
		Dir:      "/home/u/pkg",
		UID:      1000,
		GID:      1000,
		Hostname: "jail",
	}
}

func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Input)
	}{
		{"typical", func(*Input) {}},
		{"no-net", func(in *Input) { in.UnshareNet = true }},
		{"as-root", func(in *Input) { in.AsRoot, in.HostUID, in.HostGID = true, 0x70000001, 0x70000002 }},
		{"seccomp", func(in *Input) {
			in.UnshareNet = true
			in.Seccomp = []byte{0x20, 0, 0, 0, 4, 0, 0, 0, 0x06, 0, 0, 0, 0, 0, 0xff, 0x7f}
		}},
		{"writable-workdir", func(in *Input) { in.Plan = typicalPlan(true) }},
		{"file-data", func(in *Input) {
			in.Plan = &fsview.Plan{RootBytes: 1 << 20, Ops: []fsview.Op{
				{Kind: fsview.OpDir, Target: "/etc"},
				{Kind: fsview.OpFile, Target: "/etc/hosts", Content: "127.0.0.1\tlocalhost\n", Mode: 0o644},
				{Kind: fsview.OpFile, Target: "/etc/secret", Content: "binary\x00data\n", Mode: 0o600},
				{Kind: fsview.OpFile, Target: "/etc/empty"},
				{Kind: fsview.OpDir, Target: "/srv/data", Mode: 0o700},
			}}
			in.Argv, in.Env, in.Dir, in.Hostname = []string{"/bin/sh"}, nil, "", ""
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := typicalInput()
			tc.edit(&in)
			c, err := Build(in)
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tc.name, render(c))
			checkConsistent(t, c)
		})
	}
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update && !testutil.Unprivileged() { // the re-run runs elsewhere
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := goldenFiles.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run TestGolden -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got), rerun with -update if the change is intended:\n%s", path, diff)
	}
}

// arity is the number of arguments each option takes, for rendering one
// option per line.
var arity = map[string]int{
	"--uid": 1, "--gid": 1, "--hostname": 1, "--chdir": 1, "--setenv": 2, "--cap-drop": 1,
	"--size": 1, "--perms": 1, "--tmpfs": 1, "--proc": 1, "--dir": 1, "--symlink": 2,
	"--file": 2, "--ro-bind-fd": 2, "--bind-fd": 2, "--ro-bind-try": 2, "--bind-try": 2,
	"--dev-bind": 2, "--dev-bind-try": 2, "--remount-ro": 1, "--seccomp": 1,
}

// render is the golden form of a Command: everything in it, one option
// per line, each descriptor with what it carries.
func render(c Command) string {
	var b strings.Builder
	fmt.Fprintf(&b, "path: %s\nargs: %s\nenv: %q\n", c.Path, quoteAll(c.Args), c.Env)
	if c.Credential != nil {
		fmt.Fprintf(&b, "credential: uid %d gid %d\n", c.Credential.UID, c.Credential.GID)
	}
	b.WriteString("options (fd 3):")
	for i := 0; i < len(c.Options); {
		n := 1 + arity[c.Options[i]]
		if !modifier(c.Options[max(i-2, 0)]) {
			b.WriteString("\n ")
		}
		fmt.Fprintf(&b, " %s", quoteAll(c.Options[i:min(i+n, len(c.Options))]))
		i += n
	}
	b.WriteString("\n")
	for i, p := range c.ExtraFiles[1:] {
		fmt.Fprintf(&b, "fd %d %s: ", firstFD+1+i, p.Name)
		if p.Path != "" {
			fmt.Fprintf(&b, "open %s\n", p.Path)
		} else {
			fmt.Fprintf(&b, "data %q\n", p.Data)
		}
	}
	return b.String()
}

// modifier reports whether o modifies the next option, which is then
// rendered on the same line.
func modifier(o string) bool { return o == "--perms" || o == "--size" }

func quoteAll(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = a
		if a == "" || strings.ContainsAny(a, " \t\n\"'\\") {
			out[i] = strconv.Quote(a)
		}
	}
	return strings.Join(out, " ")
}
