package procjail

import (
	"sort"
	"strings"
)

// Requirement names one kind of containment. Config.Require lists those the
// caller demands; Enforcement reports each one as enforced or not, and why.
type Requirement string

// The containment procjail knows how to enforce and report.
const (
	// RequireFilesystem: the sandbox sees only an explicit filesystem view
	// (system directories read-only, the work dir, a private /tmp); host
	// secrets such as ~/.ssh are not readable and nothing outside the view
	// is writable.
	RequireFilesystem Requirement = "fs"
	// RequireNetwork: the sandbox cannot reach the network, the host's
	// loopback services (except as AllowLocalhost permits), or the host's
	// abstract Unix sockets.
	RequireNetwork Requirement = "net"
	// RequirePID: the sandbox cannot see or signal host processes.
	RequirePID Requirement = "pid"
	// RequireIPC: separate SysV IPC, /dev/shm, hostname and keyrings.
	RequireIPC Requirement = "ipc"
	// RequireUnprivileged: the payload runs with no capabilities,
	// no_new_privs and a non-root uid on the host.
	RequireUnprivileged Requirement = "unprivileged"
	// RequireSeccomp: procjail's seccomp filter is installed.
	RequireSeccomp Requirement = "seccomp"
	// RequireLandlock: a Landlock ruleset mirrors the filesystem view.
	RequireLandlock Requirement = "landlock"
	// RequireMemoryLimit: the whole tree's resident memory is bounded (a
	// cgroup).
	RequireMemoryLimit Requirement = "memory-limit"
	// RequireProcessLimit: the whole tree's process count is bounded.
	RequireProcessLimit Requirement = "pids-limit"
	// RequireCPULimit: the whole tree's CPU time is bounded.
	RequireCPULimit Requirement = "cpu-limit"
	// RequireTreeKill: the whole process tree is killed on Kill, timeout,
	// Close and the caller's death, including daemonized descendants.
	RequireTreeKill Requirement = "tree-kill"
	// RequireSecretEnv: secrets are stripped from the environment and the
	// caller's environment is unreadable from inside.
	RequireSecretEnv Requirement = "env"
)

var allRequirements = []Requirement{
	RequireFilesystem, RequireNetwork, RequirePID, RequireIPC, RequireUnprivileged,
	RequireSeccomp, RequireLandlock, RequireMemoryLimit, RequireProcessLimit,
	RequireCPULimit, RequireTreeKill, RequireSecretEnv,
}

// Requirements lists every requirement procjail knows.
func Requirements() []Requirement { return append([]Requirement(nil), allRequirements...) }

func (r Requirement) valid() bool {
	for _, k := range allRequirements {
		if r == k {
			return true
		}
	}
	return false
}

func requirementNames() []string {
	out := make([]string, len(allRequirements))
	for i, r := range allRequirements {
		out[i] = string(r)
	}
	sort.Strings(out)
	return out
}

// Layer is one kind of containment as applied to a sandbox.
type Layer struct {
	Name     Requirement `json:"name"`
	Enforced bool        `json:"enforced"`
	// How says what enforces it ("user+pid namespaces", "RLIMIT_NPROC on a
	// dedicated uid") or, when not enforced, why not and how to get it.
	How string `json:"how"`
}

// Skip records why a stronger strategy was not used.
type Skip struct {
	Strategy Strategy `json:"strategy"`
	Reason   string   `json:"reason"`
}

// Enforcement is the honest report of what a sandbox enforces: the
// strategy, why each stronger one was skipped, and every layer with how it
// is (or why it is not) enforced.
type Enforcement struct {
	Strategy Strategy `json:"strategy"`
	Skipped  []Skip   `json:"skipped,omitempty"`
	Layers   []Layer  `json:"layers"`
	// Notes are adjustments made while building the sandbox (a limit
	// raised so the sandbox could start at all), each with its reason.
	Notes []string `json:"notes,omitempty"`
}

// Layer returns the named layer.
func (e Enforcement) Layer(r Requirement) (Layer, bool) {
	for _, l := range e.Layers {
		if l.Name == r {
			return l, true
		}
	}
	return Layer{}, false
}

// Missing returns the required layers that are not enforced.
func (e Enforcement) Missing(required []Requirement) []Layer {
	var out []Layer
	for _, r := range required {
		if l, ok := e.Layer(r); !ok || !l.Enforced {
			if !ok {
				l = Layer{Name: r, How: "not reported by this strategy"}
			}
			out = append(out, l)
		}
	}
	return out
}

// noteApplied amends the report with what the stage had to change.
func (e *Enforcement) noteApplied(applied []string) {
	for _, a := range applied {
		if v, ok := strings.CutPrefix(a, "rlimit-nofile-raised:"); ok {
			e.Notes = append(e.Notes, "RLIMIT_NOFILE raised to "+v+": bwrap is given a descriptor per bind and needs room for its own")
		}
		if v, ok := strings.CutPrefix(a, "rlimit-data-raised:"); ok {
			for i := range e.Layers {
				if e.Layers[i].Name == RequireMemoryLimit {
					e.Layers[i].How += "; RLIMIT_DATA raised to " + v + " bytes to fit the supervisor's runtime"
				}
			}
		}
	}
}
