package main

import (
	"os"
	"strings"
	"time"

	"github.com/procjail/procjail"
)

// Results an attempt can have.
const (
	resultBlocked   = "BLOCKED"
	resultSucceeded = "SUCCEEDED"
	resultSkipped   = "SKIPPED"
	resultNoReport  = "NO-REPORT"
)

// demoAttempt is one thing the script tries: layers are those whose
// report claims to stop it, also those that may help.
type demoAttempt struct {
	name   string
	layers []procjail.Requirement
	also   []procjail.Requirement
}

type reqs = []procjail.Requirement

// demoAttempts lists the script's attempts in its order.
var demoAttempts = []demoAttempt{
	{"secret-env", reqs{procjail.RequireSecretEnv}, nil},
	{"ssh-key", reqs{procjail.RequireFilesystem, procjail.RequireLandlock}, reqs{procjail.RequireUnprivileged}},
	{"parent-environ", reqs{procjail.RequireSecretEnv}, reqs{procjail.RequirePID}},
	{"caller-environ", reqs{procjail.RequireSecretEnv}, reqs{procjail.RequirePID}},
	{"write-outside", reqs{procjail.RequireFilesystem, procjail.RequireLandlock}, reqs{procjail.RequireUnprivileged}},
	{"network", reqs{procjail.RequireNetwork}, nil},
	{"fork-bomb", reqs{procjail.RequireProcessLimit}, nil},
}

// outcome is an attempt's verdict.
type outcome struct {
	demoAttempt
	result, detail string
}

// parseAttempts reads "ATTEMPT <name> <result> <detail>" lines; the first
// line for a name wins, other lines are ignored.
func parseAttempts(lines []string) map[string]outcome {
	out := map[string]outcome{}
	for _, line := range lines {
		f := strings.SplitN(line, " ", 4)
		if len(f) < 3 || f[0] != "ATTEMPT" {
			continue
		}
		if _, seen := out[f[1]]; !seen {
			out[f[1]] = outcome{result: f[2], detail: strings.Join(f[3:], "")}
		}
	}
	return out
}

// judge orders the reported outcomes, marks the missing ones, and checks
// from the host what the host can see.
func (d *demoEnv) judge(reported map[string]outcome) []outcome {
	out := make([]outcome, len(demoAttempts))
	for i, a := range demoAttempts {
		o, ok := reported[a.name]
		if !ok {
			o = outcome{result: resultNoReport, detail: "the script stopped before reporting it"}
		}
		o.demoAttempt = a
		out[i] = d.hostCheck(o)
	}
	return out
}

func (d *demoEnv) hostCheck(o outcome) outcome {
	switch o.name {
	case "write-outside":
		_, err := os.Stat(d.writeTarget())
		return confirm(o, err == nil, "the file exists on the host", "no file on the host")
	case "network":
		wait := time.Duration(0)
		if o.result == resultSucceeded {
			wait = 5 * time.Second // the listener may still be reading
		}
		return confirm(o, d.waitReached(wait), "the host listener got the marker", "the host listener got nothing")
	}
	return o
}

// confirm reconciles the script's verdict with the host's observation:
// what the host saw wins.
func confirm(o outcome, happened bool, yes, no string) outcome {
	switch {
	case happened && o.result == resultSucceeded:
		o.detail += "; host check: " + yes
	case happened:
		o.result, o.detail = resultSucceeded, o.detail+"; but host check: "+yes
	case o.result == resultBlocked:
		o.detail += "; host check: " + no
	case o.result == resultSucceeded:
		o.detail += "; host check: " + no + " (verdict kept from the script)"
	}
	return o
}

func (d *demoEnv) waitReached(wait time.Duration) bool {
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-d.reached:
		return true
	case <-t.C:
		return d.wasReached()
	}
}

// enforcedBy says which layers stopped a blocked attempt, or which were
// missing for one that succeeded. An attempt that succeeded although a
// layer claiming to stop it is enforced is a containment failure.
func enforcedBy(o outcome, e procjail.Enforcement) string {
	on, off := splitLayers(e, o.layers)
	alsoOn, _ := splitLayers(e, o.also)
	switch {
	case o.result != resultBlocked && o.result != resultSucceeded:
		return "-"
	case o.result == resultBlocked && len(on)+len(alsoOn) > 0:
		return strings.Join(append(on, alsoOn...), ", ")
	case o.result == resultBlocked:
		return "no guaranteed layer (" + strings.Join(off, ", ") + " not enforced)"
	case len(on) > 0:
		return "CONTAINMENT FAILURE: " + strings.Join(on, ", ") + " reported enforced"
	}
	return "nothing: " + strings.Join(off, ", ") + " not enforced"
}

// splitLayers splits rs into the layers e enforces and those it does not.
func splitLayers(e procjail.Enforcement, rs []procjail.Requirement) (on, off []string) {
	for _, r := range rs {
		if l, ok := e.Layer(r); ok && l.Enforced {
			on = append(on, string(r))
		} else {
			off = append(off, string(r))
		}
	}
	return on, off
}
