package stage

import (
	"github.com/procjail/procjail/internal/seccomp"
)

// applySeccomp installs the filter last: after it, only what the payload
// needs is left to do (fork and exec).
func (s *stage) applySeccomp() error {
	if len(s.spec.Seccomp) == 0 {
		return nil
	}
	prog, err := seccomp.Decode(s.spec.Seccomp)
	if err != nil {
		return Errorf("seccomp", "", "decode: %w", err)
	}
	if err := seccomp.Install(prog); err != nil {
		return Errorf("seccomp", "", "install: %w", err)
	}
	s.applied = append(s.applied, "seccomp")
	return nil
}
