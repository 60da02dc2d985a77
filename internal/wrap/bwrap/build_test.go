package bwrap

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/procjail/procjail/internal/fsview"
)

// fdOptions are the options whose first argument is a descriptor.
var fdOptions = map[string]bool{"--file": true, "--ro-bind-fd": true, "--bind-fd": true, "--seccomp": true}

// checkConsistent checks the invariants every Command must keep: the
// options descriptor holds exactly Options, every other descriptor is
// referred to exactly once, and bwrap starts with an empty environment.
func checkConsistent(t *testing.T, c Command) {
	t.Helper()
	if want := strings.Join(c.Options, "\x00") + "\x00"; string(c.ExtraFiles[0].Data) != want {
		t.Errorf("fd 3 holds %q, want the options %q", c.ExtraFiles[0].Data, want)
	}
	if c.Env == nil || len(c.Env) != 0 {
		t.Errorf("Env = %#v, want empty and non-nil", c.Env)
	}
	if got := c.Args[:4]; !cmp.Equal(got, []string{c.Path, "--args", "3", "--"}) {
		t.Errorf("Args start %q", got)
	}
	used := map[int]int{}
	for i, o := range c.Options {
		if fdOptions[o] {
			n, err := strconv.Atoi(c.Options[i+1])
			if err != nil || n < 4 || n >= firstFD+len(c.ExtraFiles) {
				t.Fatalf("%s %s: not a descriptor of ExtraFiles", o, c.Options[i+1])
			}
			used[n]++
		}
	}
	for n := 4; n < firstFD+len(c.ExtraFiles); n++ {
		if used[n] != 1 {
			t.Errorf("fd %d (%s) is referred to %d times, want once", n, c.ExtraFiles[n-firstFD].Name, used[n])
		}
	}
}

func TestBuildDefaults(t *testing.T) {
	c, err := Build(Input{Plan: typicalPlan(false), Argv: []string{"/bin/sh"}})
	if err != nil {
		t.Fatal(err)
	}
	checkConsistent(t, c)
	for _, want := range [][]string{{"--hostname", "sandbox"}, {"--chdir", "/"}, {"--share-net"}} {
		if !containsSeq(c.Options, want) {
			t.Errorf("options lack %q: %q", want, c.Options)
		}
	}
	if c.Path != DefaultPath || c.Credential != nil {
		t.Errorf("Path %q Credential %v", c.Path, c.Credential)
	}
}

// TestBuildAlwaysHardened checks the options no Input can remove.
func TestBuildAlwaysHardened(t *testing.T) {
	in := typicalInput()
	in.UnshareNet = true
	c, err := Build(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range [][]string{{"--unshare-all"}, {"--unshare-user"}, {"--disable-userns"}, {"--die-with-parent"},
		{"--new-session"}, {"--cap-drop", "ALL"}, {"--clearenv"}, {"--remount-ro", "/"}, {"--size", "4194304", "--tmpfs", "/"}} {
		if !containsSeq(c.Options, want) {
			t.Errorf("options lack %q", want)
		}
	}
	for _, never := range []string{"--share-net", "--as-pid-1", "--bind", "--ro-bind", "--dev", "--cap-add"} {
		if containsSeq(c.Options, []string{never}) {
			t.Errorf("options contain %s", never)
		}
	}
	if c.Options[len(c.Options)-1] != "/" || c.Options[len(c.Options)-2] != "--remount-ro" {
		t.Errorf("the root is not remounted read-only last: %q", c.Options[len(c.Options)-4:])
	}
}

// TestBuildNoEnvOnArgv: the environment's values never reach bwrap's
// visible argv.
func TestBuildNoEnvOnArgv(t *testing.T) {
	in := typicalInput()
	in.Env = append(in.Env, "TOKEN=s3cr3t-value")
	c, err := Build(in)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.Join(c.Args, " "), "s3cr3t") {
		t.Errorf("secret on argv: %q", c.Args)
	}
	if !containsSeq(c.Options, []string{"--setenv", "TOKEN", "s3cr3t-value"}) {
		t.Errorf("variable not set: %q", c.Options)
	}
}

func TestBuildPure(t *testing.T) {
	in := typicalInput()
	in.Seccomp = make([]byte, 16)
	a, err := Build(in)
	if err != nil {
		t.Fatal(err)
	}
	in.Seccomp[0] = 1
	b, _ := Build(in)
	if cmp.Equal(a.ExtraFiles, b.ExtraFiles) {
		t.Error("changing the seccomp program did not change the payload")
	}
	c, _ := Build(in)
	if !cmp.Equal(b, c) {
		t.Error("same input, different command")
	}
}

func TestBuildErrors(t *testing.T) {
	nul := "a\x00b"
	for _, tc := range []struct {
		name  string
		edit  func(*Input)
		field string
	}{
		{"no plan", func(in *Input) { in.Plan = nil }, "Plan"},
		{"invalid plan", func(in *Input) { in.Plan = &fsview.Plan{RootBytes: 0} }, ""},
		{"empty argv", func(in *Input) { in.Argv = nil }, "Argv"},
		{"relative argv0", func(in *Input) { in.Argv = []string{"node"} }, "Argv[0]"},
		{"NUL in argv", func(in *Input) { in.Argv = []string{"/bin/sh", nul} }, "Argv"},
		{"env without =", func(in *Input) { in.Env = []string{"PATH"} }, "Env"},
		{"env empty name", func(in *Input) { in.Env = []string{"=x"} }, "Env"},
		{"NUL in env", func(in *Input) { in.Env = []string{"A=" + nul} }, "Env"},
		{"relative dir", func(in *Input) { in.Dir = "pkg" }, "Dir"},
		{"unclean dir", func(in *Input) { in.Dir = "/a/../b" }, "Dir"},
		{"relative bwrap", func(in *Input) { in.BwrapPath = "bwrap" }, "BwrapPath"},
		{"negative uid", func(in *Input) { in.UID = -1 }, "UID"},
		{"root without host ids", func(in *Input) { in.AsRoot = true }, "HostUID"},
		{"root with host uid 0", func(in *Input) { in.AsRoot, in.HostUID, in.HostGID = true, 0, 5 }, "HostUID"},
		{"NUL in hostname", func(in *Input) { in.Hostname = nul }, "Hostname"},
		{"truncated seccomp", func(in *Input) { in.Seccomp = make([]byte, 12) }, "Seccomp"},
		{"writable noexec tmpfs", func(in *Input) {
			in.Plan = &fsview.Plan{RootBytes: 1 << 20, Ops: []fsview.Op{{Kind: fsview.OpTmpfs, Target: "/x", Size: 4096, NoExec: true}}}
		}, "Plan"},
		{"NUL in symlink", func(in *Input) {
			in.Plan = &fsview.Plan{RootBytes: 1 << 20, Ops: []fsview.Op{{Kind: fsview.OpSymlink, Target: "/x", LinkTo: nul}}}
		}, "Plan"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := typicalInput()
			tc.edit(&in)
			_, err := Build(in)
			if err == nil {
				t.Fatal("Build succeeded")
			}
			var ie *InputError
			if tc.field == "" {
				var se *fsview.StepError
				if !errors.As(err, &se) {
					t.Errorf("error %v does not wrap the plan's error", err)
				}
				return
			}
			if !errors.As(err, &ie) || ie.Field != tc.field {
				t.Errorf("error %v, want an InputError on %s", err, tc.field)
			}
		})
	}
}

func TestPerms(t *testing.T) {
	for _, tc := range []struct {
		mode, dflt uint32
		want       string
	}{{0, 0o755, "0755"}, {0o1777, 0, "1777"}, {0o600, 0o644, "0600"}, {0o7, 0, "0007"}, {0o100644, 0, "0644"}} {
		if got := perms(tc.mode, tc.dflt); got != tc.want {
			t.Errorf("perms(%o, %o) = %s, want %s", tc.mode, tc.dflt, got, tc.want)
		}
	}
}

func containsSeq(s, seq []string) bool {
	for i := 0; i+len(seq) <= len(s); i++ {
		if cmp.Equal(s[i:i+len(seq)], seq) {
			return true
		}
	}
	return false
}
