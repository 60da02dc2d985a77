package main

import (
	"strings"

	"github.com/procjail/procjail"
)

// isolationWords names the layers whose absence makes a sandbox weaker than
// unshare, as the warning says them.
var isolationWords = []struct {
	layer procjail.Requirement
	word  string
}{
	{procjail.RequireFilesystem, "filesystem"},
	{procjail.RequireNetwork, "network"},
	{procjail.RequirePID, "pid"},
	{procjail.RequireIPC, "ipc"},
}

// otherLayers are named when missing too.
var otherLayers = []procjail.Requirement{procjail.RequireSecretEnv, procjail.RequireUnprivileged, procjail.RequireTreeKill}

// weakWarning is the one-line warning for a sandbox weaker than unshare,
// or "" when it is not.
func weakWarning(e procjail.Enforcement) string {
	if e.Strategy == procjail.Auto || e.Strategy == procjail.Unshare {
		return ""
	}
	msg := "running under " + e.Strategy.String()
	if words := missingIsolation(e); len(words) > 0 {
		msg += ": no " + joinOr(words) + " isolation"
	}
	if names := missingOthers(e); len(names) > 0 {
		msg += "; not enforced: " + strings.Join(names, ", ")
	}
	return msg + " (" + whyWeak(e) + ")"
}

func missingIsolation(e procjail.Enforcement) []string {
	var out []string
	for _, w := range isolationWords {
		if l, ok := e.Layer(w.layer); !ok || !l.Enforced {
			out = append(out, w.word)
		}
	}
	return out
}

func missingOthers(e procjail.Enforcement) []string {
	var out []string
	for _, r := range otherLayers {
		if l, ok := e.Layer(r); !ok || !l.Enforced {
			out = append(out, string(r))
		}
	}
	return out
}

func whyWeak(e procjail.Enforcement) string {
	if len(e.Skipped) == 0 {
		return "chosen with --strategy; `procjail probe` shows what else this host can run"
	}
	s := e.Skipped[0]
	return s.Strategy.String() + " unavailable: " + s.Reason
}

// joinOr joins words as "a, b or c".
func joinOr(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}
