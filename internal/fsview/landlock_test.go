package fsview

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	ll "github.com/landlock-lsm/go-landlock/landlock/syscall"
)

func TestAccessRights(t *testing.T) {
	const (
		rf, rd, x, wf = ll.AccessFSReadFile, ll.AccessFSReadDir, ll.AccessFSExecute, ll.AccessFSWriteFile
		tr, io        = ll.AccessFSTruncate, ll.AccessFSIoctlDev
	)
	for _, tc := range []struct {
		a         Access
		dir, file uint64
	}{
		{AccessNone, 0, 0},
		{AccessListDir, rd, 0},
		{AccessRead, rf | rd, rf},
		{AccessReadExec, rf | rd | x, rf | x},
		{AccessDevice, rf | wf | tr | io, rf | wf | tr | io},
	} {
		if got := tc.a.Rights(true); got != tc.dir {
			t.Errorf("%v.Rights(dir) = %#x, want %#x", tc.a, got, tc.dir)
		}
		if got := tc.a.Rights(false); got != tc.file {
			t.Errorf("%v.Rights(file) = %#x, want %#x", tc.a, got, tc.file)
		}
	}
	rw := AccessReadWrite.Rights(true)
	for _, never := range []uint64{ll.AccessFSMakeChar, ll.AccessFSMakeBlock, ll.AccessFSResolveUnix} {
		if rw&never != 0 {
			t.Errorf("read-write grants %#x", never)
		}
	}
	for _, want := range []uint64{ll.AccessFSRefer, ll.AccessFSMakeReg, ll.AccessFSRemoveFile, ll.AccessFSTruncate, x} {
		if rw&want == 0 {
			t.Errorf("read-write lacks %#x", want)
		}
	}
}

func TestAccessText(t *testing.T) {
	for a := AccessNone; a <= AccessDevice; a++ {
		b, err := a.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Access
		if err := back.UnmarshalText(b); err != nil || back != a {
			t.Errorf("%v: round trip gave %v, %v", a, back, err)
		}
	}
	if _, err := Access(99).MarshalText(); err == nil {
		t.Error("marshalled an unknown access")
	}
}

// TestLandlockRules: the rules mirror the view, nothing else.
func TestLandlockRules(t *testing.T) {
	dir := t.TempDir()
	work, rw := filepath.Join(dir, "work"), filepath.Join(dir, "rw")
	for _, d := range []string{work, rw} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	plan := mustBuild(t, Request{Runtime: "/bin/sh", WorkDir: work, Writable: []Pair{{Host: rw, Sandbox: "/out"}}})
	got := map[string]Access{}
	for _, r := range plan.LandlockRules() {
		got[r.Path] = r.Access
	}
	want := map[string]Access{
		"/": AccessListDir, "/usr": AccessReadExec, "/etc": AccessRead, "/proc": AccessRead,
		"/tmp": AccessReadWrite, "/dev/shm": AccessReadWrite, "/out": AccessReadWrite, work: AccessReadExec,
		"/dev/null": AccessDevice, "/dev/zero": AccessDevice, "/dev/full": AccessDevice,
		"/dev/random": AccessRead, "/dev/urandom": AccessRead,
	}
	for p, a := range got {
		if strictlyUnder(p, "/etc") {
			if a != AccessRead {
				t.Errorf("%s: %v, want read", p, a)
			}
			delete(got, p)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
}

// TestHostLandlockRules: the same policy in host paths, without the
// view's private places, the root or the host's /etc as a whole.
func TestHostLandlockRules(t *testing.T) {
	dir := t.TempDir()
	work, rw := filepath.Join(dir, "work"), filepath.Join(dir, "rw")
	for _, d := range []string{work, rw} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	rules, err := HostLandlockRules(Request{Runtime: "/bin/sh", WorkDir: work, WritableWorkDir: true, Writable: []Pair{{Host: rw, Sandbox: "/out"}}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Rule{}
	for _, r := range rules {
		got[r.Path] = r
	}
	for p, want := range map[string]Access{"/usr": AccessReadExec, work: AccessReadWrite, rw: AccessReadWrite,
		"/proc": AccessRead, "/etc/passwd": AccessRead, "/dev/null": AccessDevice} {
		if got[p].Access != want {
			t.Errorf("%s: %+v, want %v", p, got[p], want)
		}
	}
	for _, p := range []string{"/", "/tmp", "/dev/shm", "/etc", "/out", "/etc/shadow", "/var/tmp"} {
		if r, ok := got[p]; ok {
			t.Errorf("unexpected host rule %+v", r)
		}
	}
	if _, err := HostLandlockRules(Request{Runtime: "relative"}); !errors.Is(err, ErrInvalid) {
		t.Errorf("invalid request: %v", err)
	}
}

func TestLandlockReportRequire(t *testing.T) {
	if err := (LandlockReport{ABI: 7, Enforced: true}).Require(6); err != nil {
		t.Errorf("Require(6) at ABI 7: %v", err)
	}
	for _, rep := range []LandlockReport{{ABI: 3, Enforced: true}, {Reason: "no landlock"}} {
		if err := rep.Require(4); !errors.Is(err, ErrLandlockUnavailable) {
			t.Errorf("%v.Require(4) = %v", rep, err)
		}
	}
}
