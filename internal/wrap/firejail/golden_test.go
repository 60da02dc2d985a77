package firejail

import (
	"embed"
	"flag"
	"fmt"
	"os"
	"path/filepath"
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

// typicalPlan is a plan of the shape fsview.Build makes, written out so
// that the golden files do not depend on the host.
func typicalPlan(work string, writable bool, extra ...fsview.Op) *fsview.Plan {
	kind := fsview.OpBindRO
	if writable {
		kind = fsview.OpBindRW
	}
	ops := []fsview.Op{
		{Kind: fsview.OpTmpfs, Target: "/tmp", Size: 64 << 20, Mode: 0o1777},
		{Kind: fsview.OpSymlink, Target: "/var/tmp", LinkTo: "/tmp"},
		{Kind: fsview.OpTmpfs, Target: "/dev", Size: 64 << 10, Mode: 0o755, NoExec: true, Seal: true},
		{Kind: fsview.OpDevice, Source: "/dev/null", Target: "/dev/null"},
		{Kind: fsview.OpTmpfs, Target: "/dev/shm", Size: 64 << 20, Mode: 0o1777},
		{Kind: fsview.OpProc, Target: "/proc"},
		{Kind: fsview.OpProcRO, Target: "/proc/sys", Optional: true},
		{Kind: fsview.OpBindRO, Source: "/usr", Target: "/usr"},
		{Kind: fsview.OpSymlink, Target: "/bin", LinkTo: "usr/bin"},
		{Kind: fsview.OpDir, Target: "/etc", Mode: 0o755},
		{Kind: fsview.OpFile, Target: "/etc/passwd", Content: "root:x:0:0::/root:/bin/sh\n", Mode: 0o644},
		{Kind: fsview.OpFile, Target: "/etc/hosts", Content: "127.0.0.1 localhost\n", Mode: 0o644},
		{Kind: fsview.OpBindRO, Source: "/etc/ld.so.cache", Target: "/etc/ld.so.cache", Optional: true},
		{Kind: fsview.OpBindRO, Source: "/etc/ssl/certs", Target: "/etc/ssl/certs", Optional: true},
		{Kind: fsview.OpSymlink, Target: "/etc/localtime", LinkTo: "/usr/share/zoneinfo/Etc/UTC"},
	}
	ops = append(ops, extra...)
	ops = append(ops, fsview.Op{Kind: kind, Source: work, Target: work})
	return &fsview.Plan{RootBytes: 4 << 20, Ops: ops}
}

// hostRoot is a typical merged-/usr host with a few oddities.
var hostRoot = []RootEntry{
	{Name: "bin", Kind: Symlink}, {Name: "boot", Kind: Dir}, {Name: "dev", Kind: Dir},
	{Name: "etc", Kind: Dir}, {Name: "home", Kind: Dir}, {Name: "lib", Kind: Symlink},
	{Name: "lib64", Kind: Symlink}, {Name: "media", Kind: Dir}, {Name: "mnt", Kind: Dir},
	{Name: "opt", Kind: Dir}, {Name: "proc", Kind: Dir}, {Name: "root", Kind: Dir}, {Name: "run", Kind: Dir},
	{Name: "sbin", Kind: Symlink}, {Name: "srv", Kind: Dir}, {Name: "sys", Kind: Dir},
	{Name: "tmp", Kind: Dir}, {Name: "usr", Kind: Dir}, {Name: "var", Kind: Dir},
	{Name: "swapfile", Kind: Other}, {Name: "data", Kind: Symlink}, {Name: "scratch", Kind: Dir},
}

func typicalInput() Input {
	return Input{
		Plan:       typicalPlan("/srv/scan/pkg", false),
		Argv:       []string{"/usr/bin/node", "/srv/scan/pkg/harness.js"},
		Env:        []string{"PATH=/usr/bin:/bin", "HOME=/tmp"},
		Dir:        "/srv/scan/pkg",
		Home:       "/home/scanner",
		Root:       hostRoot,
		UnshareNet: true,
		Limits:     Limits{NoFile: 1024, NProc: 256, CPUSeconds: 60, FileSize: 100 << 20},
	}
}

func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Input)
	}{
		{"typical", func(*Input) {}},
		{"shared-net", func(in *Input) { in.UnshareNet = false }},
		{"as-root", func(in *Input) { in.AsRoot, in.Home = true, "/root" }},
		{"writable-workdir", func(in *Input) { in.Plan = typicalPlan("/srv/scan/pkg", true) }},
		{"workdir-in-home", func(in *Input) {
			in.Plan, in.Dir = typicalPlan("/home/scanner/pkg", false), ""
		}},
		{"runtime-prefix", func(in *Input) {
			in.Plan = typicalPlan("/srv/scan/pkg", false,
				fsview.Op{Kind: fsview.OpBindRO, Source: "/opt/node", Target: "/opt/node"},
				fsview.Op{Kind: fsview.OpBindRO, Source: "/var/lib/harness.js", Target: "/var/lib/harness.js"})
			in.Limits = Limits{}
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
		t.Fatalf("%v (run go test -run TestGolden -args -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got), rerun with -update if the change is intended:\n%s", path, diff)
	}
}

func render(c Command) string {
	var b strings.Builder
	fmt.Fprintf(&b, "path: %s\nargs: %q\nenv: %q\n", c.Path, c.Args, c.Env)
	for i, p := range c.ExtraFiles {
		fmt.Fprintf(&b, "fd %d: %s\n", profileFD+i, p.Name)
	}
	fmt.Fprintf(&b, "profile:\n%s", c.Profile)
	b.WriteString("limitations:\n")
	for _, l := range c.Limitations {
		fmt.Fprintf(&b, "- %s\n", l)
	}
	return b.String()
}
