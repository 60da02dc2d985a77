package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/procjail/procjail"
)

// probeCaps is what `procjail probe --json` reports.
func probeCaps(t *testing.T) procjail.Capabilities {
	t.Helper()
	r := runCLI(t, "", nil, "probe", "--json")
	wantCode(t, r, 0)
	var caps procjail.Capabilities
	if err := json.Unmarshal([]byte(r.stdout), &caps); err != nil {
		t.Fatalf("probe --json: %v", err)
	}
	return caps
}

func TestProbeJSON(t *testing.T) {
	caps := probeCaps(t)
	for _, s := range procjail.Strategies {
		if _, ok := caps.Strategies[s.String()]; !ok {
			t.Errorf("strategy %s missing from probe --json", s)
		}
	}
	if f := caps.Strategies[caps.Best.String()]; !f.Available {
		t.Errorf("best strategy %s is not runnable: %+v", caps.Best, f)
	}
}

func TestProbeTable(t *testing.T) {
	caps := probeCaps(t)
	r := runCLI(t, "", nil, "probe")
	wantCode(t, r, 0)
	for _, want := range []string{"user namespaces", "landlock", "rlimits", "auto selects: " + caps.Best.String()} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("probe output lacks %q", want)
		}
	}
	for name, f := range caps.Strategies {
		if !f.Available && f.Reason != "" && !strings.Contains(r.stdout, f.Reason) {
			t.Errorf("probe output lacks why %s is unavailable (%q)", name, f.Reason)
		}
	}
}
