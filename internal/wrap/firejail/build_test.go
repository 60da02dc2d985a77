package firejail

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/procjail/procjail/internal/fsview"
)

func profileLines(c Command) []string {
	var out []string
	for _, l := range strings.Split(c.Profile, "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// TestBuildAlwaysHardened checks the profile lines no Input removes, and
// the ones it must never contain.
func TestBuildAlwaysHardened(t *testing.T) {
	for _, asRoot := range []bool{false, true} {
		in := typicalInput()
		in.AsRoot, in.UnshareNet = asRoot, false
		c, err := Build(in)
		if err != nil {
			t.Fatal(err)
		}
		lines := profileLines(c)
		if lines[0] != "quiet" {
			t.Errorf("first command %q, want quiet", lines[0])
		}
		for _, want := range []string{"private-tmp", "private-dev", "nogroups", "caps.drop all", "nonewprivs",
			"seccomp.block-secondary", "restrict-namespaces", "ipc-namespace", "blacklist /sys",
			"whitelist /run/.procjail-empty", "deterministic-shutdown"} {
			if !slices.Contains(lines, want) {
				t.Errorf("asRoot=%v: profile lacks %q", asRoot, want)
			}
		}
		for _, l := range lines {
			for _, never := range []string{"rlimit-as", "timeout", "noprofile", "keep-fd", "allow-debuggers", "writable-"} {
				if strings.HasPrefix(l, never) {
					t.Errorf("profile contains %q", l)
				}
			}
		}
		if slices.Contains(lines, "noroot") == asRoot {
			t.Errorf("asRoot=%v: noroot present = %v", asRoot, !asRoot)
		}
	}
}

func TestBuildCommand(t *testing.T) {
	in := typicalInput()
	in.Env = nil
	c, err := Build(in)
	if err != nil {
		t.Fatal(err)
	}
	if c.Env == nil || len(c.Env) != 0 {
		t.Errorf("Env = %#v, want empty and non-nil", c.Env)
	}
	if len(c.ExtraFiles) != 1 || string(c.ExtraFiles[0].Data) != c.Profile {
		t.Errorf("ExtraFiles %v does not carry the profile", c.ExtraFiles)
	}
	if want := []string{DefaultPath, "--profile=/proc/self/fd/3", "--", "/usr/bin/node"}; !slices.Equal(c.Args[:4], want) {
		t.Errorf("Args %q", c.Args)
	}
	in.Env = []string{"A=1"}
	c, _ = Build(in)
	in.Env[0] = "A=2"
	if c.Env[0] != "A=1" {
		t.Error("Command.Env aliases Input.Env")
	}
}

func TestLimitations(t *testing.T) {
	for _, tc := range []struct {
		name   string
		edit   func(*Input)
		want   string
		absent string
	}{
		{"root", func(in *Input) { in.AsRoot = true }, "host uid 0", "counts every process"},
		{"nproc", func(*Input) {}, "counts every process", "host uid 0"},
		{"shared net", func(in *Input) { in.UnshareNet = false }, "network namespace is the host's", "host uid 0"},
		{"no net", func(in *Input) { in.Limits.NProc = 0 }, "setuid root", "network namespace"},
	} {
		in := typicalInput()
		tc.edit(&in)
		c, err := Build(in)
		if err != nil {
			t.Fatal(err)
		}
		all := strings.Join(c.Limitations, "\n")
		if !strings.Contains(all, tc.want) || strings.Contains(all, tc.absent) {
			t.Errorf("%s: limitations %q: want %q, not %q", tc.name, all, tc.want, tc.absent)
		}
	}
}

func TestBuildErrors(t *testing.T) {
	plan := func(extra ...fsview.Op) *fsview.Plan {
		return &fsview.Plan{RootBytes: 1 << 20, Ops: append([]fsview.Op{{Kind: fsview.OpDir, Target: "/etc"}}, extra...)}
	}
	for _, tc := range []struct {
		name  string
		edit  func(*Input)
		field string
	}{
		{"no plan", func(in *Input) { in.Plan = nil }, "Plan"},
		{"invalid plan", func(in *Input) { in.Plan = &fsview.Plan{} }, ""},
		{"empty argv", func(in *Input) { in.Argv = nil }, "Argv"},
		{"relative argv0", func(in *Input) { in.Argv = []string{"node"} }, "Argv[0]"},
		{"env without =", func(in *Input) { in.Env = []string{"X"} }, "Env"},
		{"relative home", func(in *Input) { in.Home = "home" }, "Home"},
		{"no home", func(in *Input) { in.Home = "" }, "Home"},
		{"relative dir", func(in *Input) { in.Dir = "x" }, "Dir"},
		{"no root entries", func(in *Input) { in.Root = nil }, "Root"},
		{"bad root entry", func(in *Input) { in.Root = []RootEntry{{Name: "a/b"}} }, "Root"},
		{"newline in hostname", func(in *Input) { in.Hostname = "a\nprivate-etc passwd" }, "Hostname"},
		{"glob in dir", func(in *Input) { in.Dir = "/srv/*" }, "Dir"},
		{"moved bind", func(in *Input) {
			in.Plan = plan(fsview.Op{Kind: fsview.OpBindRO, Source: "/srv/a", Target: "/srv/b"})
		}, "Plan"},
		{"file outside etc", func(in *Input) { in.Plan = plan(fsview.Op{Kind: fsview.OpFile, Target: "/srv/f"}) }, "Plan"},
		{"sized tmpfs", func(in *Input) {
			in.Plan = plan(fsview.Op{Kind: fsview.OpTmpfs, Target: "/scratch", Size: 4096})
		}, "Plan"},
		{"newline in path", func(in *Input) {
			in.Plan = plan(fsview.Op{Kind: fsview.OpBindRW, Source: "/srv/a\nwhitelist /x", Target: "/srv/a\nwhitelist /x"})
		}, "Plan"},
		{"glob in path", func(in *Input) {
			in.Plan = plan(fsview.Op{Kind: fsview.OpBindRO, Source: "/srv/pkg*", Target: "/srv/pkg*"})
		}, "Plan"},
		{"macro in path", func(in *Input) {
			in.Plan = plan(fsview.Op{Kind: fsview.OpBindRO, Source: "/srv/${HOME}", Target: "/srv/${HOME}"})
		}, "Plan"},
		{"comma in etc", func(in *Input) {
			in.Plan = plan(fsview.Op{Kind: fsview.OpBindRO, Source: "/etc/a,shadow", Target: "/etc/a,shadow"})
		}, "Plan"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := typicalInput()
			tc.edit(&in)
			_, err := Build(in)
			if err == nil {
				t.Fatal("Build succeeded")
			}
			if tc.field == "" {
				var se *fsview.StepError
				if !errors.As(err, &se) {
					t.Errorf("error %v does not wrap the plan's error", err)
				}
				return
			}
			var ie *InputError
			if !errors.As(err, &ie) || ie.Field != tc.field {
				t.Errorf("error %v, want an InputError on %s", err, tc.field)
			}
		})
	}
}

// TestEmptyEtcStaysPrivate: a plan showing nothing of /etc must still get
// a private /etc, never the host's.
func TestEmptyEtcStaysPrivate(t *testing.T) {
	in := typicalInput()
	in.Plan = &fsview.Plan{RootBytes: 1 << 20, Ops: []fsview.Op{{Kind: fsview.OpProc, Target: "/proc"}}}
	c, err := Build(in)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(profileLines(c), "private-etc hostname") {
		t.Errorf("profile:\n%s", c.Profile)
	}
}

func TestRootLines(t *testing.T) {
	in := typicalInput()
	b := &builder{in: in}
	paths := []shown{{path: "/srv/scan/pkg", readOnly: true}}
	for _, tc := range []struct {
		e    RootEntry
		want string
	}{
		{RootEntry{Name: "usr", Kind: Dir}, "read-only /usr"},
		{RootEntry{Name: "lib", Kind: Symlink}, ""},
		{RootEntry{Name: "etc", Kind: Dir}, ""},
		{RootEntry{Name: "sys", Kind: Dir}, "blacklist /sys"},
		{RootEntry{Name: "srv", Kind: Dir}, ""},
		{RootEntry{Name: "home", Kind: Dir}, ""},
		{RootEntry{Name: "var", Kind: Dir}, "whitelist /var/.procjail-empty"},
		{RootEntry{Name: "data", Kind: Symlink}, ""},
		{RootEntry{Name: "swap", Kind: Other}, "blacklist /swap"},
	} {
		if got := b.rootLine(tc.e, paths); got != tc.want {
			t.Errorf("rootLine(%+v) = %q, want %q", tc.e, got, tc.want)
		}
	}
}

func TestListRoot(t *testing.T) {
	root, err := ListRoot()
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]EntryKind{}
	for _, e := range root {
		kinds[e.Name] = e.Kind
	}
	if k, ok := kinds["proc"]; !ok || k != Dir {
		t.Errorf("ListRoot: proc is %v (%v) in %v", k, ok, root)
	}
}
