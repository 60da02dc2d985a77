package stage

import (
	"github.com/procjail/procjail/internal/netfwd"
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
	if err := s.forwardLocalhost(); err != nil {
		return err
	}
	s.step("hostname, loopback")
	return nil
}

// forwardLocalhost listens on the allowed ports inside our network
// namespace and hands the sockets to the parent, which relays each
// connection to the same port on the host's loopback. It is the first
// thing written on the control socket.
func (s *stage) forwardLocalhost() error {
	if len(s.spec.LocalhostPorts) == 0 {
		return nil
	}
	files, err := netfwd.ListenWith(s.spec.LocalhostPorts, netfwd.ListenOptions{UDP: true})
	if err != nil {
		return Errorf("localhost forwarding", "", "listen: %w", err)
	}
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
	eps, err := netfwd.DescribeAll(files)
	if err != nil {
		return Errorf("localhost forwarding", "", "%w", err)
	}
	if err := netfwd.SendFDs(s.ctl, files, []byte(netfwd.Ports(eps))); err != nil {
		return Errorf("localhost forwarding", "", "send sockets: %w", err)
	}
	if netfwd.IPv4Only(eps) {
		s.applied = append(s.applied, "localhost-forward-ipv4-only")
	}
	return nil
}
