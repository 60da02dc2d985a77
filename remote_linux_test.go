package procjail_test

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/procjail/procjail"
	"github.com/procjail/procjail/internal/testutil"
)

const remoteClient = `import socket, sys
try:
    s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=3)
    print("reached:", s.recv(16).decode())
except Exception as e:
    print("refused:", e)
`

// TestRemoteHostUnreachable: a "remote" machine (a network namespace behind
// a veth pair) that the host reaches is unreachable from every sandbox
// that claims network isolation, with allow_localhost off and on (its port
// listed).
func TestRemoteHostUnreachable(t *testing.T) {
	py := "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		testutil.Skip(t, testutil.MissingFeature, "python3", "the client is a python3 program")
	}
	remote := testutil.NewRemoteHost(t)
	ln := remote.Listen(t)
	go testutil.ServeBanner(ln, "REMOTE")
	if got := testutil.ReadBanner(t, ln.Addr().String()); got != "REMOTE" {
		t.Fatalf("from the host, the remote said %q: the test cannot work", got)
	}
	port := uint16(ln.Addr().(*net.TCPAddr).Port)
	forEachStrategy(t, func(t *testing.T, s procjail.Strategy) {
		dir := workDir(t)
		must(t, os.WriteFile(filepath.Join(dir, "client.py"), []byte(remoteClient), 0o644))
		for _, allow := range []bool{false, true} {
			if allow && s != procjail.Unshare && s != procjail.Bubblewrap {
				continue // firejail refuses allow_localhost; rlimits shares the host's network
			}
			cfg := procjail.DefaultConfig()
			cfg.Runtime, cfg.Strategy, cfg.CaptureStderr = py, s, true
			cfg.RuntimeArgs = []string{filepath.Join(dir, "client.py"), remote.PeerIP, fmt.Sprint(port)}
			if allow {
				cfg.AllowLocalhost, cfg.AllowLocalhostPorts = true, []uint16{port}
			}
			p := spawn(t, "", dir, cfg)
			got, _ := p.Recv()
			wait(t, p)
			netLayer, _ := p.Enforced().Layer(procjail.RequireNetwork)
			t.Logf("%s allow_localhost=%v: %s (net enforced: %v)", s, allow, got, netLayer.Enforced)
			if netLayer.Enforced && !strings.HasPrefix(got, "refused") {
				t.Errorf("%s allow_localhost=%v: the sandbox reached the remote host: %q", s, allow, got)
			}
		}
	})
}
