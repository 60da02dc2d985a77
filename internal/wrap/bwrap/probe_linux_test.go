package bwrap

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/procjail/procjail/internal/testutil"
)

func TestProbeWorks(t *testing.T) {
	r := Probe("bwrap", 30*time.Second)
	if !r.Present {
		testutil.Skip(t, testutil.MissingFeature, "bwrap", r.Reason)
	}
	if !r.Working {
		testutil.Skip(t, testutil.MissingFeature, "bwrap", "present but not working here: "+r.Reason)
	}
	if !filepath.IsAbs(r.Path) || r.Reason != "" || !versionAtLeast(r.Version, MinVersion) {
		t.Errorf("probe result %+v", r)
	}
	fi, err := os.Stat(r.Path)
	if err != nil {
		t.Fatal(err)
	}
	if r.Setuid != (fi.Mode()&os.ModeSetuid != 0) {
		t.Errorf("Setuid = %v for mode %v", r.Setuid, fi.Mode())
	}
}

func TestProbeMissing(t *testing.T) {
	for _, path := range []string{"/nonexistent/bwrap", "procjail-no-such-bwrap"} {
		r := Probe(path, 5*time.Second)
		if r.Present || r.Working || r.Reason == "" {
			t.Errorf("Probe(%q) = %+v, want absent with a reason", path, r)
		}
	}
}

// TestProbeNotWorking runs fake bwrap binaries: each must be reported
// present but not working, with the reason.
func TestProbeNotWorking(t *testing.T) {
	for _, tc := range []struct{ name, script, reason string }{
		{"not bwrap", `echo "something else 1.0"`, "unexpected --version output"},
		{"too old", `echo "bubblewrap 0.4.0"`, "too old"},
		{"fails", `[ "$1" = --version ] && { echo "bubblewrap 0.9.0"; exit 0; }; echo "bwrap: No permissions to create new namespace" >&2; exit 1`, "No permissions to create new namespace"},
		{"hangs", `exec sleep 60`, "timed out"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := fakeBinary(t, tc.script)
			r := Probe(path, 2*time.Second)
			if !r.Present || r.Working || !strings.Contains(r.Reason, tc.reason) {
				t.Errorf("Probe = %+v, want present, not working, reason containing %q", r, tc.reason)
			}
		})
	}
}

// fakeBinary writes an executable shell script reachable by any uid.
func fakeBinary(t *testing.T, script string) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "procjail-fakebwrap-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	must(t, os.Chmod(dir, 0o755))
	path := filepath.Join(dir, "bwrap")
	must(t, os.WriteFile(path, []byte("#!/bin/sh\n"+script+"\n"), 0o755))
	return path
}
