package envpolicy

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestExplainAllowlist(t *testing.T) {
	p := Policy{Mode: ModeAllowlist, StripSecrets: true,
		Passthrough: []string{"PATH", "HTTPS_PROXY", "GREETING", "MISSING", "MYCO_INTERNAL"},
		Strip:       []string{"MYCO_*"},
		Set:         map[string]string{"LD_PRELOAD": "/sandbox/ok.so", "HOME": "/work"}}
	parent := []string{"PATH=/bin", "HOME=/home/u", "HTTPS_PROXY=" + proxyCreds, "GREETING=hi " + ghToken,
		"MYCO_INTERNAL=1", "LANG=C", "junk", "LD_PRELOAD=/home/u/hook.so"}
	want := []Decision{
		{Name: "", Kept: false, Source: SourceInherited, Rule: "malformed"},
		{Name: "GREETING", Kept: false, Source: SourcePassthrough, Rule: "value:github-token"},
		{Name: "HOME", Kept: true, Source: SourceSet, Rule: "set"},
		{Name: "HTTPS_PROXY", Kept: false, Source: SourcePassthrough, Rule: "value:url-credentials"},
		{Name: "LANG", Kept: false, Source: SourceInherited, Rule: "not-listed"},
		{Name: "LD_PRELOAD", Kept: true, Source: SourceSet, Rule: "set"},
		{Name: "MISSING", Kept: false, Source: SourcePassthrough, Rule: "absent"},
		{Name: "MYCO_INTERNAL", Kept: false, Source: SourcePassthrough, Rule: "strip:MYCO_*"},
		{Name: "PATH", Kept: true, Source: SourcePassthrough, Rule: "passthrough"},
	}
	got, err := Explain(parent, p)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(Decision{}, "Reason")); diff != "" {
		t.Errorf("Explain (-want +got):\n%s", diff)
	}
	checkReasons(t, got)
}

func TestExplainStripSecrets(t *testing.T) {
	p := Policy{StripSecrets: true, Strip: []string{"MYCO_*"}}
	parent := []string{"PATH=/bin", "GITHUB_TOKEN=" + ghToken, "GREETING=hi " + ghToken,
		"NODE_OPTIONS=--inspect", "myco_x=1", "AWS_REGION=eu-west-1", "AWS_ROLE_ARN=arn"}
	want := []Decision{
		{Name: "AWS_REGION", Kept: true, Source: SourceInherited, Rule: "inherited"},
		{Name: "AWS_ROLE_ARN", Kept: false, Source: SourceInherited, Rule: "prefix:AWS_"},
		{Name: "GITHUB_TOKEN", Kept: false, Source: SourceInherited, Rule: "known-name"},
		{Name: "GREETING", Kept: false, Source: SourceInherited, Rule: "value:github-token"},
		{Name: "NODE_OPTIONS", Kept: false, Source: SourceInherited, Rule: "loader:NODE_OPTIONS"},
		{Name: "PATH", Kept: true, Source: SourceInherited, Rule: "inherited"},
		{Name: "myco_x", Kept: false, Source: SourceInherited, Rule: "strip:MYCO_*"},
	}
	got, err := Explain(parent, p)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(Decision{}, "Reason")); diff != "" {
		t.Errorf("Explain (-want +got):\n%s", diff)
	}
	checkReasons(t, got)
}

// TestExplainAgreesWithBuild: for every policy of the Build table, the kept
// names of Explain are exactly the names Build returns.
func TestExplainAgreesWithBuild(t *testing.T) {
	policies := []Policy{
		DefaultPolicy(),
		{StripSecrets: true, Strip: []string{"*PATH*"}, Set: map[string]string{"LD_PRELOAD": "x"}},
		{Mode: ModeAllowlist, StripSecrets: true, Passthrough: []string{"PATH", "GREETING", "HTTPS_PROXY", "NOPE"}},
		{Mode: ModeAllowlist, Passthrough: []string{"GITHUB_TOKEN"}},
		{Mode: ModeBlocklist, Strip: []string{"AWS_*"}},
	}
	for _, p := range policies {
		env, err := Build(testParent, p)
		if err != nil {
			t.Fatal(err)
		}
		decisions, err := Explain(testParent, p)
		if err != nil {
			t.Fatal(err)
		}
		var kept []string
		for _, d := range decisions {
			if d.Kept {
				kept = append(kept, d.Name)
			}
		}
		var built []string
		for _, kv := range env {
			built = append(built, kv[:strings.IndexByte(kv, '=')])
		}
		if diff := cmp.Diff(built, kept, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("policy %+v: Build names (-) vs Explain kept names (+):\n%s", p, diff)
		}
		checkReasons(t, decisions)
	}
}

// checkReasons fails if a decision is unexplained or shows any value of the
// caller's environment that could be a secret.
func checkReasons(t *testing.T, decisions []Decision) {
	t.Helper()
	for _, d := range decisions {
		if d.Reason == "" || d.Rule == "" {
			t.Errorf("decision %+v lacks a rule or reason", d)
		}
		for _, secret := range []string{ghToken, awsSecret, "hunter2", "hook.so", "junk"} {
			if strings.Contains(d.Name+d.Reason+d.Rule, secret) {
				t.Errorf("decision %+v shows %q", d, secret)
			}
		}
	}
}
