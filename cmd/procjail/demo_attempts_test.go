package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/procjail/procjail"
)

func TestParseAttempts(t *testing.T) {
	got := parseAttempts([]string{
		"noise",
		"ATTEMPT ssh-key BLOCKED cat: /x: No such file or directory",
		"ATTEMPT ssh-key SUCCEEDED a later line for the same name is ignored",
		"ATTEMPT network SKIPPED",
		"ATTEMPT short",
	})
	want := map[string]outcome{
		"ssh-key": {result: resultBlocked, detail: "cat: /x: No such file or directory"},
		"network": {result: resultSkipped},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(outcome{}, demoAttempt{})); diff != "" {
		t.Error(diff)
	}
}

// What the host sees wins over what the script says.
func TestConfirm(t *testing.T) {
	for _, tc := range []struct {
		said     string
		happened bool
		want     string
	}{
		{resultBlocked, false, resultBlocked},
		{resultBlocked, true, resultSucceeded},
		{resultSucceeded, true, resultSucceeded},
		{resultSucceeded, false, resultSucceeded},
		{resultSkipped, true, resultSucceeded},
	} {
		got := confirm(outcome{result: tc.said}, tc.happened, "yes", "no")
		if got.result != tc.want || got.detail == "" && tc.said != resultSkipped {
			t.Errorf("confirm(%s, %v) = %+v, want %s with a host-check note", tc.said, tc.happened, got, tc.want)
		}
	}
}

func TestEnforcedBy(t *testing.T) {
	fsOnly := procjail.Enforcement{Layers: []procjail.Layer{{Name: procjail.RequireFilesystem, Enforced: true}, {Name: procjail.RequireUnprivileged, Enforced: true}}}
	none := procjail.Enforcement{}
	a := demoAttempts[1] // ssh-key: fs, landlock; also unprivileged
	for _, tc := range []struct {
		result string
		e      procjail.Enforcement
		want   string
	}{
		{resultBlocked, fsOnly, "fs, unprivileged"},
		{resultBlocked, none, "no guaranteed layer (fs, landlock not enforced)"},
		{resultSucceeded, none, "nothing: fs, landlock not enforced"},
		{resultSucceeded, fsOnly, "CONTAINMENT FAILURE: fs reported enforced"},
		{resultSkipped, fsOnly, "-"},
	} {
		if got := enforcedBy(outcome{demoAttempt: a, result: tc.result}, tc.e); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.result, got, tc.want)
		}
	}
}

func TestDemoScriptNamesEveryAttempt(t *testing.T) {
	for _, a := range demoAttempts {
		if !strings.Contains(string(demoScript), a.name) {
			t.Errorf("the embedded script never reports %s", a.name)
		}
	}
}
