package procjail

import (
	"errors"
	"sync"

	"golang.org/x/sys/unix"

	"github.com/procjail/procjail/internal/seccomp"
)

// The compiled filters, built once per process. The Rlimits variant also
// denies setsid: without a pid namespace the payload's session is how
// procjail finds its whole tree, so it must not leave it.
var (
	filterNS      = sync.OnceValues(func() ([]byte, error) { return compileFilter(false) })
	filterRlimits = sync.OnceValues(func() ([]byte, error) { return compileFilter(true) })
)

func compileFilter(rlimits bool) ([]byte, error) {
	rules := seccomp.DefaultRules()
	if rlimits {
		nr, ok := seccomp.Lookup("setsid")
		if ok {
			rules = append(rules, seccomp.Rule{Syscall: "setsid", Nr: nr, Action: seccomp.Errno(unix.EPERM),
				Reason: "without a pid namespace the tree is tracked by its session; leaving it would escape Kill"})
		}
	}
	prog, err := seccomp.Compile(rules, seccomp.Allow)
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
	return !errors.Is(err, errors.ErrUnsupported) && err == nil
}

func errorsJoinSetup(err error) error { return errors.Join(ErrSetup, err) }
