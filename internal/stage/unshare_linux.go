package stage

import (
	"golang.org/x/sys/unix"
)

// prepareUnshare builds the sandbox inside the fresh namespaces: the
// filesystem view (ending inside the new root), the hostname, loopback.
func (s *stage) prepareUnshare() error {
	if err := s.applyFSPlan(s.spec.FSPlan); err != nil {
		return err
	}
	s.applied = append(s.applied, "fs")
	s.step("filesystem view")
	if s.spec.Hostname != "" {
		if err := unix.Sethostname([]byte(s.spec.Hostname)); err != nil {
			return Errorf("sethostname", "", "%w", err)
		}
	}
	if err := loopbackUp(); err != nil {
		return err
	}
	s.step("hostname, loopback")
	return nil
}
