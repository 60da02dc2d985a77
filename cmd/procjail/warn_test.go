package main

import (
	"testing"

	"github.com/procjail/procjail"
)

func layers(enforced map[procjail.Requirement]bool) []procjail.Layer {
	var out []procjail.Layer
	for _, r := range procjail.Requirements() {
		out = append(out, procjail.Layer{Name: r, Enforced: enforced[r]})
	}
	return out
}

func TestWeakWarning(t *testing.T) {
	all := map[procjail.Requirement]bool{}
	for _, r := range procjail.Requirements() {
		all[r] = true
	}
	rootRlimits := map[procjail.Requirement]bool{procjail.RequireSecretEnv: true, procjail.RequireUnprivileged: true, procjail.RequireTreeKill: true}
	skipped := []procjail.Skip{{Strategy: procjail.Unshare, Reason: "user namespaces disabled"}, {Strategy: procjail.Bubblewrap, Reason: "no bwrap"}}
	for _, tc := range []struct {
		name string
		e    procjail.Enforcement
		want string
	}{
		{"unshare", procjail.Enforcement{Strategy: procjail.Unshare, Layers: layers(all)}, ""},
		{"rlimits fallback", procjail.Enforcement{Strategy: procjail.Rlimits, Skipped: skipped, Layers: layers(rootRlimits)},
			"running under rlimits: no filesystem, network, pid or ipc isolation (unshare unavailable: user namespaces disabled)"},
		{"rlimits as a user", procjail.Enforcement{Strategy: procjail.Rlimits, Skipped: skipped[:1], Layers: layers(nil)},
			"running under rlimits: no filesystem, network, pid or ipc isolation; not enforced: env, unprivileged, tree-kill (unshare unavailable: user namespaces disabled)"},
		{"forced", procjail.Enforcement{Strategy: procjail.Rlimits, Layers: layers(rootRlimits)},
			"running under rlimits: no filesystem, network, pid or ipc isolation (chosen with --strategy; `procjail probe` shows what else this host can run)"},
		{"bubblewrap complete", procjail.Enforcement{Strategy: procjail.Bubblewrap, Skipped: skipped[:1], Layers: layers(all)},
			"running under bubblewrap (unshare unavailable: user namespaces disabled)"},
	} {
		if got := weakWarning(tc.e); got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

func TestJoinOr(t *testing.T) {
	for in, want := range map[string]string{"": "", "a": "a", "a b": "a or b", "a b c": "a, b or c"} {
		var words []string
		if in != "" {
			words = splitSpace(in)
		}
		if got := joinOr(words); got != want {
			t.Errorf("joinOr(%q) = %q, want %q", words, got, want)
		}
	}
}

func splitSpace(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ' ' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}
