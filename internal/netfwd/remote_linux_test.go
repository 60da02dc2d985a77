package netfwd

import (
	"fmt"
	"net"
	"testing"

	"github.com/procjail/procjail/internal/testutil"
)

// TestSandboxCannotReachRemoteHost: a host reachable from the host's
// namespace stays unreachable from the sandbox with forwarding on, even on
// a forwarded port number.
func TestSandboxCannotReachRemoteHost(t *testing.T) {
	remote := testutil.NewRemoteHost(t)
	rln := remote.Listen(t)
	go testutil.ServeBanner(rln, "REMOTE")
	port := portOf(rln.Addr())
	if got := testutil.ReadBanner(t, rln.Addr().String()); got != "REMOTE" {
		t.Fatalf("from the host, the remote host said %q", got)
	}
	hostBanner := ""
	if hln, err := net.Listen("tcp4", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
		t.Cleanup(func() { hln.Close() })
		go testutil.ServeBanner(hln, "HOST")
		hostBanner = "HOST"
	}
	s := startSandbox(t, childConfig{Ports: []uint16{port}}, Options{})
	res := s.run([]probe{
		{Name: "remote", Kind: "raw", Addr: rln.Addr().String()},
		{Name: "remote connect", Kind: "connect", Addr: rln.Addr().String()},
		{Name: "forwarded", Kind: "raw", Addr: fmt.Sprintf("127.0.0.1:%d", port)},
	})
	for _, name := range []string{"remote", "remote connect"} {
		if r := res[name]; r.OK || r.Body != "" {
			t.Errorf("%s: the sandbox reached the remote host: %+v", name, r)
		}
	}
	if r := res["forwarded"]; r.Body != hostBanner {
		t.Errorf("forwarded port %d: got %q, want the host loopback's %q and never the remote's", port, r.Body, hostBanner)
	}
}
