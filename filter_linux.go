package procjail

import (
	"errors"
	"sync"

	"golang.org/x/sys/unix"

	"github.com/procjail/procjail/internal/seccomp"
)

// The compiled filters, built once per process: the default rule table plus
// rules that depend on the strategy.
var (
	filterNS      = sync.OnceValues(func() ([]byte, error) { return compileFilter(nsRules()) })
	filterRlimits = sync.OnceValues(func() ([]byte, error) { return compileFilter(rlimitsRules()) })
)

// rlimitsRules: without a pid namespace the payload's session is how
// procjail finds its whole tree, so it must not leave it.
func rlimitsRules() []seccomp.Rule {
	return rule("setsid", nil, "without a pid namespace the tree is tracked by its session; leaving it would escape Kill")
}

// nsRules: the supervisor is PID 1 of the sandbox's pid namespace and runs
// as the payload's uid (a user namespace maps a single uid), so the kernel's
// same-uid rule would let the payload signal it; these rules forbid
// signalling pid 1 directly (kill(-1) never reaches init, and the payload
// runs in its own process group).
func nsRules() []seccomp.Rule {
	pid1 := []seccomp.ArgMatch{{Index: 0, Mask: seccomp.Int32, Value: 1, Op: seccomp.Equal}}
	why := "the payload must not signal the sandbox's supervisor (PID 1)"
	var out []seccomp.Rule
	for _, sc := range []string{"kill", "tkill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo"} {
		out = append(out, rule(sc, pid1, why)...)
	}
	return append(out, rule("pidfd_open", pid1, "no pidfd on the supervisor (PID 1)")...)
}

func rule(name string, args []seccomp.ArgMatch, reason string) []seccomp.Rule {
	nr, ok := seccomp.Lookup(name)
	if !ok {
		return nil
	}
	return []seccomp.Rule{{Syscall: name, Nr: nr, Args: args, Action: seccomp.Errno(unix.EPERM), Reason: reason}}
}

func compileFilter(extra []seccomp.Rule) ([]byte, error) {
	prog, err := seccomp.Compile(append(extra, seccomp.DefaultRules()...), seccomp.Allow)
	if err != nil {
		return nil, err
	}
	return seccomp.Encode(prog), nil
}

// seccompProgram returns the encoded filter, or nil when this host cannot
// have one (Enforced() reports it; Require seccomp fails closed).
func (j *job) seccompProgram(rlimits bool) []byte {
	f := filterNS
	if rlimits {
		f = filterRlimits
	}
	b, err := f()
	if err != nil {
		return nil
	}
	return b
}

func seccompArchSupported() bool {
	_, err := filterNS()
	return err == nil
}

func errorsJoinSetup(err error) error { return errors.Join(ErrSetup, err) }
