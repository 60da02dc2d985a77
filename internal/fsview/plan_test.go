package fsview

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPlanJSONRoundTrip(t *testing.T) {
	plan := mustBuild(t, Request{Runtime: "/bin/sh", Hostname: "h"})
	data, err := plan.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	got, err := UnmarshalPlan(data)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&plan, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if _, err := UnmarshalPlan([]byte(`{"ops":[{"kind":"bind-ro","source":"/","target":"/"}],"root_bytes":1}`)); !errors.Is(err, ErrInvalid) {
		t.Errorf("UnmarshalPlan accepted a bind over the root: %v", err)
	}
	if _, err := UnmarshalPlan([]byte(`{"ops":[{"kind":"dir","target":"/x","access":"everything"}]}`)); err == nil {
		t.Error("UnmarshalPlan accepted an unknown access")
	}
}

func TestPlanValidate(t *testing.T) {
	dir := Op{Kind: OpDir, Target: "/opt"}
	bind := func(target string) Op { return Op{Kind: OpBindRO, Source: "/usr", Target: target} }
	for _, tc := range []struct {
		name string
		ops  []Op
		want string // substring of the error, "" for valid
	}{
		{"ok", []Op{dir, bind("/opt/x"), {Kind: OpSymlink, Target: "/opt/y", LinkTo: "x"}}, ""},
		{"dir twice", []Op{dir, dir}, ""},
		{"relative target", []Op{bind("opt")}, "not an absolute path"},
		{"dotdot target", []Op{bind("/opt/../proc")}, `".."`},
		{"root target", []Op{bind("/")}, "over the root"},
		{"relative source", []Op{{Kind: OpBindRO, Source: "usr", Target: "/x"}}, "not an absolute path"},
		{"unknown kind", []Op{{Kind: "overlay", Target: "/x"}}, "unknown step kind"},
		{"empty symlink", []Op{{Kind: OpSymlink, Target: "/x"}}, "empty symlink"},
		{"sizeless tmpfs", []Op{{Kind: OpTmpfs, Target: "/x"}}, "tmpfs size"},
		{"bind under /proc", []Op{{Kind: OpProc, Target: "/proc"}, bind("/proc/x")}, "may not target"},
		{"proc elsewhere", []Op{{Kind: OpProc, Target: "/x"}}, "may not target"},
		{"proc-ro outside proc", []Op{{Kind: OpProcRO, Target: "/sys"}}, "may not target"},
		{"device outside /dev", []Op{{Kind: OpDevice, Source: "/dev/null", Target: "/x"}}, "may not target"},
		{"bind into /dev", []Op{bind("/dev/sda")}, "may not target"},
		{"file into /sys", []Op{{Kind: OpFile, Target: "/sys/x"}}, "may not target"},
		{"under a bind", []Op{bind("/opt"), {Kind: OpFile, Target: "/opt/f"}}, "lies under"},
		{"under a symlink", []Op{{Kind: OpSymlink, Target: "/l", LinkTo: "/usr"}, bind("/l/x")}, "lies under"},
		{"duplicate", []Op{bind("/a"), bind("/a")}, "already used"},
		{"hides", []Op{bind("/a/b"), bind("/a")}, "would hide"},
		{"proc-ro under proc", []Op{{Kind: OpProc, Target: "/proc"}, {Kind: OpProcRO, Target: "/proc/sys"}}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := Plan{Ops: tc.ops, RootBytes: rootBytes}
			err := p.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("Validate() = %v, want nil", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, ErrInvalid)):
				t.Fatalf("Validate() = %v, want an ErrInvalid containing %q", err, tc.want)
			}
		})
	}
	if err := (&Plan{}).Validate(); !errors.Is(err, ErrInvalid) {
		t.Errorf("a plan without a root size validated: %v", err)
	}
}

func TestStepError(t *testing.T) {
	cause := errors.New("boom")
	err := stepErr("bind-ro", "/usr", withHint(cause, "do this"))
	if got, want := err.Error(), "fsview: bind-ro /usr: boom (hint: do this)"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(err, cause) {
		t.Error("the cause is lost")
	}
	// A step that is already named is kept.
	if got := stepErr("outer", "/x", err); got != err {
		t.Errorf("stepErr rewrapped a named step: %v", got)
	}
	if stepErr("x", "/", nil) != nil || withHintIf(nil, "h") != nil {
		t.Error("nil error not kept nil")
	}
}
