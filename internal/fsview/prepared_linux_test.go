package fsview

import (
	"errors"
	"testing"
)

// TestRemainingNeedsTheBase: a plan that does not start with the steps
// applied ahead of time is refused (ErrBaseChanged), one that does gives
// only the steps left.
func TestRemainingNeedsTheBase(t *testing.T) {
	base := []Op{{Kind: OpDir, Target: "/etc", Mode: 0o755}, {Kind: OpSymlink, Target: "/bin", LinkTo: "usr/bin"}}
	prep := &Preparation{base: base}
	extra := Op{Kind: OpTmpfs, Target: "/tmp", Size: 1 << 20, Mode: 0o1777}
	rest, err := prep.remaining(&Plan{Ops: append(append([]Op{}, base...), extra)})
	if err != nil || len(rest) != 1 || rest[0] != extra {
		t.Fatalf("remaining = %v, %v; want only the /tmp step", rest, err)
	}
	changed := []Op{base[0], {Kind: OpSymlink, Target: "/bin", LinkTo: "elsewhere"}, extra}
	if _, err := prep.remaining(&Plan{Ops: changed}); !errors.Is(err, ErrBaseChanged) {
		t.Fatalf("a changed base: %v, want ErrBaseChanged", err)
	}
	if _, err := prep.remaining(&Plan{Ops: base[:1]}); !errors.Is(err, ErrBaseChanged) {
		t.Fatalf("a plan shorter than the base: %v, want ErrBaseChanged", err)
	}
}

// TestBaseOpsStartEveryPlan: the base the stage builds ahead of time is
// the start of the plan Build makes for a real request.
func TestBaseOpsStartEveryPlan(t *testing.T) {
	base, err := BaseOps(1000, 1000, "procjail")
	if err != nil {
		t.Fatal(err)
	}
	plan, err := Build(Request{Runtime: "/bin/sh", WorkDir: t.TempDir(), UID: 1000, GID: 1000, Hostname: "procjail", TmpBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (&Preparation{base: base}).remaining(&plan); err != nil {
		t.Fatalf("Build's plan does not start with BaseOps: %v", err)
	}
}
