// Package testutil holds the helpers procjail's own tests share: the one
// place a test may skip, and helpers that run a test body in a re-executed
// copy of the test binary.
package testutil

import (
	"os"
	"testing"
)

// Kind says why a test cannot run here. It decides whether the skip is
// allowed in CI.
type Kind int

const (
	// MissingFeature: the kernel or host lacks something procjail supports
	// (user namespaces, Landlock, a cgroup controller, bwrap...). In CI
	// (CI=true) such a skip is a failure unless the feature is listed in
	// PROCJAIL_TEST_ABSENT (comma-separated), which CI sets only for
	// features the CI kernel really lacks.
	MissingFeature Kind = iota
	// NotForThisCaller: the test is meaningful only for a root or only for
	// an unprivileged caller. The suite runs under both, so the other run
	// covers it; this skip is always allowed.
	NotForThisCaller
	// Short: the test is slow and -short was given. Allowed, except in CI.
	Short
)

// Skip is the only way a procjail test skips. It prints why, and in CI it
// turns a skip of a feature the CI host should have into a failure.
func Skip(t testing.TB, kind Kind, feature, why string) {
	t.Helper()
	msg := "skipping: " + feature + ": " + why
	if os.Getenv("CI") == "true" && kind != NotForThisCaller && !absentInCI(feature) {
		t.Fatalf("%s (CI=true: a skip of %q is a failure; list it in PROCJAIL_TEST_ABSENT only if the CI host really lacks it)", msg, feature)
	}
	t.Skip(msg)
}

// SkipIfShort skips a slow test under -short.
func SkipIfShort(t testing.TB) {
	t.Helper()
	if testing.Short() {
		Skip(t, Short, "slow test", "-short given")
	}
}

func absentInCI(feature string) bool {
	for _, f := range splitComma(os.Getenv("PROCJAIL_TEST_ABSENT")) {
		if f == feature {
			return true
		}
	}
	return false
}

func splitComma(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' {
			if i > start {
				out = append(out, s[start:i])
			}
			start = i + 1
		}
	}
	return out
}
