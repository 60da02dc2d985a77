package firejail

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestProbeWorks(t *testing.T) {
	path := needFirejail(t)
	r := Probe(path, 30*time.Second)
	if !r.Working || r.Reason != "" || !versionAtLeast(r.Version, MinVersion) {
		t.Errorf("probe result %+v", r)
	}
	fi, err := os.Stat(r.Path)
	if err != nil {
		t.Fatal(err)
	}
	if r.Setuid != (fi.Mode()&os.ModeSetuid != 0) {
		t.Errorf("Setuid = %v for mode %v", r.Setuid, fi.Mode())
	}
	if os.Geteuid() != 0 && !r.Setuid {
		t.Error("firejail works for a non-root caller without the setuid bit?")
	}
}

func TestProbeMissing(t *testing.T) {
	for _, path := range []string{"/nonexistent/firejail", "procjail-no-such-firejail"} {
		r := Probe(path, 5*time.Second)
		if r.Present || r.Working || r.Reason == "" {
			t.Errorf("Probe(%q) = %+v, want absent with a reason", path, r)
		}
	}
}

func TestProbeNotWorking(t *testing.T) {
	for _, tc := range []struct{ name, script, reason string }{
		{"not firejail", `echo "bubblewrap 0.8.0"`, "unexpected --version output"},
		{"too old", `echo "firejail version 0.9.60"`, "too old"},
		{"refused", `[ "$1" = --version ] && { echo "firejail version 0.9.72"; exit 0; }; echo "Error: the user is not allowed to use Firejail." >&2; exit 1`, "not allowed to use Firejail"},
		{"hangs", `exec sleep 60`, "timed out"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Probe(fakeBinary(t, tc.script), 2*time.Second)
			if !r.Present || r.Working || !strings.Contains(r.Reason, tc.reason) {
				t.Errorf("Probe = %+v, want present, not working, reason containing %q", r, tc.reason)
			}
		})
	}
}

func TestOpenFiles(t *testing.T) {
	c := Command{ExtraFiles: []Payload{{Name: "profile", Data: []byte("quiet\n")}}}
	files, err := c.OpenFiles()
	if err != nil {
		t.Fatal(err)
	}
	defer CloseFiles(files)
	got, err := io.ReadAll(files[0])
	if err != nil || string(got) != "quiet\n" {
		t.Errorf("read %q, %v", got, err)
	}
	if _, err := files[0].Write([]byte("x")); err == nil {
		t.Error("the profile descriptor is writable")
	}
}

func fakeBinary(t *testing.T, script string) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "procjail-fakefirejail-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	must(t, os.Chmod(dir, 0o755))
	path := filepath.Join(dir, "firejail")
	must(t, os.WriteFile(path, []byte("#!/bin/sh\n"+script+"\n"), 0o755))
	return path
}
