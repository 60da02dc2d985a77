package stage

import (
	"golang.org/x/sys/unix"
)

// prepare does the kind-specific setup that needs no per-thread state.
func (s *stage) prepare() error {
	switch s.spec.Kind {
	case KindRlimits, KindBubblewrap, KindFirejail:
		// Orphaned descendants are reparented to us, so we can reap and
		// account for them and kill them at the end.
		if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
			return Errorf("prctl(PR_SET_CHILD_SUBREAPER)", "", "%w", err)
		}
		return s.prepareNetwork()
	case KindUnshare:
		return s.prepareUnshare()
	}
	return Errorf("spec", "", "unknown kind %q", s.spec.Kind)
}

// restrictThread applies, on this locked thread only, what the payload
// inherits: capabilities dropped, no_new_privs, Landlock, seccomp last.
// prepareNetwork: a bubblewrap stage cloned into a network namespace of
// its own (for allow_localhost) brings its loopback up and hands the
// forwarded ports' sockets to the parent; bwrap then shares that
// namespace (--share-net) and the payload sees exactly that loopback.
func (s *stage) prepareNetwork() error {
	if s.spec.Kind != KindBubblewrap || len(s.spec.LocalhostPorts) == 0 {
		return nil
	}
	if err := loopbackUp(); err != nil {
		return err
	}
	if err := s.forwardLocalhost(); err != nil {
		return err
	}
	// bwrap refuses to run with capabilities it was not given by setuid.
	return clearCaps()
}

func (s *stage) restrictThread() error {
	if s.spec.Kind == KindUnshare {
		if err := dropCaps(); err != nil {
			return err
		}
		s.applied = append(s.applied, "caps-dropped")
		s.step("capabilities dropped")
	}
	if s.spec.NoNewPrivs || len(s.spec.Seccomp) > 0 || len(s.spec.Landlock) > 0 {
		if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
			return Errorf("prctl(PR_SET_NO_NEW_PRIVS)", "", "%w", err)
		}
		s.applied = append(s.applied, "no-new-privs")
	}
	if err := s.applyLandlock(); err != nil {
		return err
	}
	s.step("landlock")
	if err := s.applySeccomp(); err != nil {
		return err
	}
	s.step("seccomp")
	return nil
}
