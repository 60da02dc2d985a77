package envpolicy

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// problem is the part of a PolicyError a test compares.
type problem struct {
	Field, Name string
	Err         error
}

func problems(t *testing.T, err error) []problem {
	t.Helper()
	if err == nil {
		return nil
	}
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	var out []problem
	for _, e := range errs {
		var pe *PolicyError
		if !errors.As(e, &pe) {
			t.Fatalf("error %v is not a *PolicyError", e)
		}
		out = append(out, problem{pe.Field, pe.Name, pe.Err})
	}
	return out
}

func TestValidate(t *testing.T) {
	ghp := "ghp_" + strings.Repeat("Z", 36)
	tests := []struct {
		desc string
		p    Policy
		want []problem
	}{
		{"default", DefaultPolicy(), nil},
		{"empty mode means strip-secrets", Policy{StripSecrets: true}, nil},
		{"zero policy", Policy{}, []problem{{FieldStripSecrets, "", ErrModeConflict}}},
		{"seed example", Policy{StripSecrets: true, Passthrough: []string{"HOME", "PATH", "NODE_PATH"}}, nil},
		{"strip-secrets without secrets", Policy{Mode: ModeStripSecrets}, []problem{{FieldStripSecrets, "", ErrModeConflict}}},
		{"blocklist with secrets", Policy{Mode: ModeBlocklist, StripSecrets: true}, []problem{{FieldStripSecrets, "", ErrModeConflict}}},
		{"blocklist confirmed", Policy{Mode: ModeBlocklist}, nil},
		{"allowlist either way", Policy{Mode: ModeAllowlist}, nil},
		{"unknown mode", Policy{Mode: "Allowlist", StripSecrets: true}, []problem{{FieldMode, "Allowlist", ErrUnknownMode}}},

		{"passthrough secret", Policy{Mode: ModeAllowlist, StripSecrets: true, Passthrough: []string{"PATH", "GITHUB_TOKEN", "npm_config__authToken"}},
			[]problem{{FieldPassthrough, "GITHUB_TOKEN", ErrSecret}, {FieldPassthrough, "npm_config__authToken", ErrSecret}}},
		{"passthrough secret, secrets off", Policy{Mode: ModeAllowlist, Passthrough: []string{"GITHUB_TOKEN"}}, nil},
		{"passthrough secret in strip-secrets mode", Policy{StripSecrets: true, Passthrough: []string{"AWS_SECRET_ACCESS_KEY"}},
			[]problem{{FieldPassthrough, "AWS_SECRET_ACCESS_KEY", ErrSecret}}},
		{"passthrough loader", Policy{Mode: ModeAllowlist, StripSecrets: true, Passthrough: []string{"LD_PRELOAD", "NODE_OPTIONS"}},
			[]problem{{FieldPassthrough, "LD_PRELOAD", ErrLoaderInjection}, {FieldPassthrough, "NODE_OPTIONS", ErrLoaderInjection}}},
		{"passthrough loader in blocklist", Policy{Mode: ModeBlocklist, Passthrough: []string{"PYTHONPATH"}},
			[]problem{{FieldPassthrough, "PYTHONPATH", ErrLoaderInjection}}},
		{"passthrough bad names", Policy{Mode: ModeAllowlist, Passthrough: []string{"", "A B", "A\x00", "TOKEN=" + ghp}},
			[]problem{{FieldPassthrough, "", ErrInvalidName}, {FieldPassthrough, "A B", ErrInvalidName},
				{FieldPassthrough, "A\x00", ErrInvalidName}, {FieldPassthrough, "TOKEN=…", ErrInvalidName}}},

		{"strip patterns", Policy{StripSecrets: true, Strip: []string{"MYCO_*", "A?", "", "X[Y]", "Q=1"}},
			[]problem{{FieldStrip, "", ErrInvalidName}, {FieldStrip, "X[Y]", ErrInvalidName}, {FieldStrip, "Q=…", ErrInvalidName}}},

		{"set ordinary and loader", Policy{StripSecrets: true, Set: map[string]string{"LANG": "C.UTF-8", "LD_PRELOAD": "/lib/x.so", "NODE_OPTIONS": "--max-old-space-size=256"}}, nil},
		{"set secret name", Policy{StripSecrets: true, Set: map[string]string{"GITHUB_TOKEN": "x", "my_api_key": "y"}},
			[]problem{{FieldSet, "GITHUB_TOKEN", ErrSecret}, {FieldSet, "my_api_key", ErrSecret}}},
		{"set secret value", Policy{Mode: ModeAllowlist, StripSecrets: true, Set: map[string]string{"HTTPS_PROXY": "http://u:p@proxy:3128", "LD_PRELOAD": ghp}},
			[]problem{{FieldSet, "HTTPS_PROXY", ErrSecret}, {FieldSet, "LD_PRELOAD", ErrSecret}}},
		{"set secret, secrets off", Policy{Mode: ModeBlocklist, Set: map[string]string{"GITHUB_TOKEN": ghp}}, nil},
		{"set bad names", Policy{StripSecrets: true, Set: map[string]string{"": "v", "A\tB": "v", "K=" + ghp: "v"}},
			[]problem{{FieldSet, "", ErrInvalidName}, {FieldSet, "A\tB", ErrInvalidName}, {FieldSet, "K=…", ErrInvalidName}}},
		{"set values", Policy{StripSecrets: true, Set: map[string]string{
			"MAX": strings.Repeat("v", MaxValueBytes), "OVER": strings.Repeat("v", MaxValueBytes+1),
			"NUL": "a\x00b", "NEWLINE": "a\nB=c", "EMPTY": "", "BYTES": "\xff\xfe"}},
			[]problem{{FieldSet, "NUL", ErrInvalidValue}, {FieldSet, "OVER", ErrInvalidValue}}},
		{"every problem reported", Policy{Mode: ModeBlocklist, StripSecrets: true, Passthrough: []string{"LD_AUDIT"}, Strip: []string{""}, Set: map[string]string{"A=B": ""}},
			[]problem{{FieldStripSecrets, "", ErrModeConflict}, {FieldPassthrough, "LD_AUDIT", ErrLoaderInjection},
				{FieldStrip, "", ErrInvalidName}, {FieldSet, "A=…", ErrInvalidName}}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			err := tt.p.Validate()
			if diff := cmp.Diff(tt.want, problems(t, err), cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
				t.Errorf("Validate() problems (-want +got):\n%s\nerror: %v", diff, err)
			}
			if err != nil && strings.Contains(err.Error(), ghp) {
				t.Errorf("error shows a secret value: %v", err)
			}
		})
	}
}

func TestValidateMessages(t *testing.T) {
	tests := []struct {
		p    Policy
		want string
	}{
		{Policy{Mode: ModeStripSecrets},
			`env_strip_secrets: conflicts with env_mode: env_mode strip-secrets always strips secrets; to manage the list yourself use env_mode = "blocklist" with env_strip_secrets = false`},
		{Policy{Mode: ModeBlocklist, StripSecrets: true},
			`env_strip_secrets: conflicts with env_mode: env_mode blocklist does not apply the built-in secret rules; set env_strip_secrets = false to confirm`},
		{Policy{Mode: "open", StripSecrets: true},
			`env_mode "open": unknown environment mode; use "strip-secrets", "allowlist" or "blocklist"`},
		{Policy{Mode: ModeAllowlist, StripSecrets: true, Passthrough: []string{"GH_TOKEN"}},
			`env_passthrough "GH_TOKEN": secret variable: matches secret rule known-name; secrets cannot be passed into the sandbox; remove it from env_passthrough`},
		{Policy{Mode: ModeAllowlist, StripSecrets: true, Passthrough: []string{"LD_PRELOAD"}},
			`env_passthrough "LD_PRELOAD": loader-injection variable: matches loader:LD_* and is never inherited; if the sandbox needs it, give it an explicit value with env_set`},
		{Policy{StripSecrets: true, Set: map[string]string{"DATABASE_URL": "postgres://u:hunter2@db/x"}},
			`env_set "DATABASE_URL": secret variable: the name matches secret rule known-name; secrets cannot be set while env_strip_secrets is on`},
		{Policy{StripSecrets: true, Set: map[string]string{"UPSTREAM": "postgres://u:hunter2@db/x"}},
			`env_set "UPSTREAM": secret variable: the value matches secret rule value:url-credentials (value not shown); secrets cannot be set while env_strip_secrets is on`},
		{Policy{StripSecrets: true, Set: map[string]string{"X": strings.Repeat("a", MaxValueBytes+1)}},
			`env_set "X": invalid variable value: the value is longer than 32768 bytes`},
	}
	for _, tt := range tests {
		err := tt.p.Validate()
		if err == nil || err.Error() != tt.want {
			t.Errorf("Validate() = %v\nwant %s", err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("error shows a secret value: %v", err)
		}
	}
}
