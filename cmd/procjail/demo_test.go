package main

import (
	"strings"
	"testing"

	"github.com/procjail/procjail/internal/testutil"
)

// demoResults runs `procjail demo` with args and returns each attempt's
// result word.
func demoResults(t *testing.T, args ...string) map[string]string {
	t.Helper()
	r := runCLI(t, "", nil, append([]string{"demo"}, args...)...)
	wantCode(t, r, 0)
	got := map[string]string{}
	for _, line := range strings.Split(r.stdout, "\n") {
		if f := strings.Fields(line); len(f) >= 2 {
			got[f[0]] = f[1]
		}
	}
	for _, a := range demoAttempts {
		switch got[a.name] {
		case resultBlocked, resultSucceeded, resultSkipped:
		default:
			t.Errorf("attempt %s: result %q, want one reported by the script", a.name, got[a.name])
		}
	}
	return got
}

func TestDemoReportsEveryAttempt(t *testing.T) {
	demoResults(t)
}

func TestDemoUnshareContainsAll(t *testing.T) {
	if f := probeCaps(t).Strategies["unshare"]; !f.Available {
		testutil.Skip(t, testutil.MissingFeature, "unshare", f.Reason)
	}
	got := demoResults(t, "--strategy", "unshare")
	for _, name := range []string{"secret-env", "ssh-key", "parent-environ", "caller-environ", "write-outside"} {
		if got[name] != resultBlocked {
			t.Errorf("%s: %s under unshare, want BLOCKED", name, got[name])
		}
	}
	if got["network"] == resultSucceeded {
		t.Error("network: SUCCEEDED under unshare")
	}
}

// Under rlimits nothing stops a write into a world-writable directory:
// the demo must say so, not claim containment.
func TestDemoRlimitsIsHonest(t *testing.T) {
	got := demoResults(t, "--strategy", "rlimits")
	if got["write-outside"] != resultSucceeded {
		t.Errorf("write-outside: %s under rlimits, want SUCCEEDED", got["write-outside"])
	}
	if got["network"] == resultBlocked {
		t.Error("network: BLOCKED under rlimits, which shares the host's network")
	}
}
