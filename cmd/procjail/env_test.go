package main

import (
	"encoding/json"
	"strings"
	"testing"
)

const (
	fakeSecret = "ghp_procjailTestFakeToken0123456789abcdefABCD"
	keptValue  = "procjail-test-visible-value"
)

var envTestEnv = []string{"GITHUB_TOKEN=" + fakeSecret, "PROCJAIL_TEST_KEPT=" + keptValue}

// row returns the table row of the variable name.
func row(t *testing.T, out, name string) string {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) > 1 && f[0] == name {
			return line
		}
	}
	t.Fatalf("no row for %s in:\n%s", name, out)
	return ""
}

func TestEnvDropsSecretWithoutValue(t *testing.T) {
	for _, args := range [][]string{{"env"}, {"env", "--values"}, {"env", "--values", "--json"}} {
		r := runCLI(t, "", envTestEnv, args...)
		wantCode(t, r, 0)
		if strings.Contains(r.stdout+r.stderr, fakeSecret) {
			t.Fatalf("procjail %q printed the dropped secret's value", args)
		}
	}
	r := runCLI(t, "", envTestEnv, "env")
	if f := strings.Fields(row(t, r.stdout, "GITHUB_TOKEN")); f[1] != "dropped" {
		t.Errorf("GITHUB_TOKEN row %q, want dropped", f)
	}
	if f := strings.Fields(row(t, r.stdout, "PROCJAIL_TEST_KEPT")); f[1] != "kept" {
		t.Errorf("PROCJAIL_TEST_KEPT row %q, want kept", f)
	}
	if strings.Contains(r.stdout, keptValue) {
		t.Error("a kept value was printed without --values")
	}
}

func TestEnvValuesOfKeptOnly(t *testing.T) {
	r := runCLI(t, "", envTestEnv, "env", "--values")
	wantCode(t, r, 0)
	if !strings.Contains(row(t, r.stdout, "PROCJAIL_TEST_KEPT"), keptValue) {
		t.Errorf("--values did not print the kept variable's value")
	}
}

func TestEnvJSONAndFlags(t *testing.T) {
	r := runCLI(t, "", envTestEnv, "env", "--json", "--values", "--env-mode", "allowlist", "--env-passthrough", "PROCJAIL_TEST_KEPT", "--env-set", "EXTRA=1")
	wantCode(t, r, 0)
	var got []envEntry
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatal(err)
	}
	kept := map[string]bool{}
	for _, e := range got {
		kept[e.Name] = e.Kept
		if e.Value != nil && !e.Kept {
			t.Errorf("%s: value printed for a dropped variable", e.Name)
		}
	}
	if !kept["PROCJAIL_TEST_KEPT"] || !kept["EXTRA"] || kept["GITHUB_TOKEN"] || kept["PATH"] {
		t.Fatalf("allowlist decisions wrong: %v", kept)
	}
}

func TestEnvInvalidConfig(t *testing.T) {
	r := runCLI(t, "", nil, "env", "--env-mode", "blocklist")
	wantCode(t, r, exitUsage)
	if !strings.Contains(r.stderr, "strip") {
		t.Fatalf("the error does not say blocklist needs env_strip_secrets off: %s", r.stderr)
	}
}
