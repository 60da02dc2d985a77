package procjail

import (
	"fmt"
	"strings"
)

// Strategy is how a sandbox is built. The zero value, Auto, picks the
// strongest strategy this host can run, in the order Unshare > Bubblewrap >
// Firejail > Rlimits, and reports why each stronger one was skipped.
//
// A Strategy has one spelling everywhere: in Go (String, MarshalText), in
// TOML files and on the command line: "auto", "unshare", "bubblewrap",
// "firejail", "rlimits".
type Strategy int

const (
	// Auto selects the strongest strategy whose functional probe succeeds.
	Auto Strategy = iota
	// Unshare builds the sandbox natively (no external binary): new user,
	// pid, mount, net, ipc, uts and cgroup namespaces, an empty root with
	// read-only system binds, seccomp and Landlock.
	Unshare
	// Bubblewrap runs the payload under bwrap(1) with a full-strength
	// command line.
	Bubblewrap
	// Firejail runs the payload under firejail(1).
	Firejail
	// Rlimits is the last resort: no namespaces; resource limits, a new
	// session, no_new_privs, an unprivileged uid when the caller is root,
	// environment stripping and whole-tree kill.
	Rlimits
)

var strategyNames = [...]string{
	Auto:       "auto",
	Unshare:    "unshare",
	Bubblewrap: "bubblewrap",
	Firejail:   "firejail",
	Rlimits:    "rlimits",
}

// Strategies lists every concrete strategy, strongest first.
var Strategies = []Strategy{Unshare, Bubblewrap, Firejail, Rlimits}

// String returns the strategy's canonical name.
func (s Strategy) String() string {
	if s < 0 || int(s) >= len(strategyNames) {
		return fmt.Sprintf("strategy(%d)", int(s))
	}
	return strategyNames[s]
}

// ParseStrategy parses a canonical strategy name.
func ParseStrategy(name string) (Strategy, error) {
	for i, n := range strategyNames {
		if name == n {
			return Strategy(i), nil
		}
	}
	return Auto, &Error{Op: "config", Field: "strategy", Err: ErrInvalidConfig,
		Detail: fmt.Sprintf("unknown strategy %q", name),
		Hint:   "use one of " + strings.Join(strategyNames[:], ", ")}
}

// MarshalText implements encoding.TextMarshaler.
func (s Strategy) MarshalText() ([]byte, error) {
	if s < 0 || int(s) >= len(strategyNames) {
		return nil, fmt.Errorf("procjail: invalid strategy %d", int(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Strategy) UnmarshalText(b []byte) error {
	v, err := ParseStrategy(string(b))
	if err == nil {
		*s = v
	}
	return err
}

// Set implements pflag.Value, so a Strategy can be a command-line flag.
func (s *Strategy) Set(v string) error { return s.UnmarshalText([]byte(v)) }

// Type implements pflag.Value.
func (s *Strategy) Type() string { return "strategy" }
