package netfwd

import (
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/procjail/procjail/internal/testutil"
)

// remoteHost is a network namespace made with `ip netns add`, joined to
// this one by a veth pair: another machine, as far as routing goes.
type remoteHost struct {
	ip     string // the `ip` binary
	name   string // netns name
	hostIP string // our end of the veth
	peerIP string // the remote end
}

func newRemoteHost(t *testing.T) *remoteHost {
	t.Helper()
	if os.Geteuid() != 0 {
		testutil.Skip(t, testutil.NotForThisCaller, "root", "adding a network namespace and a veth pair needs root; the root run covers it")
	}
	ipBin, err := exec.LookPath("ip")
	if err != nil {
		testutil.Skip(t, testutil.MissingFeature, "iproute2", "the ip command is not installed")
	}
	pid := os.Getpid()
	// 198.18.0.0/15 is reserved for network tests: it is routed nowhere.
	r := &remoteHost{ip: ipBin, name: fmt.Sprintf("pjfwd%d", pid),
		hostIP: fmt.Sprintf("198.18.%d.1", pid%250), peerIP: fmt.Sprintf("198.18.%d.2", pid%250)}
	r.setup(t, pid)
	return r
}

func (r *remoteHost) setup(t *testing.T, pid int) {
	t.Helper()
	hostIf, peerIf := fmt.Sprintf("pjh%d", pid), fmt.Sprintf("pjr%d", pid)
	r.run(t, "netns", "add", r.name)
	t.Cleanup(func() { exec.Command(r.ip, "netns", "del", r.name).Run() })
	r.run(t, "link", "add", hostIf, "type", "veth", "peer", "name", peerIf)
	t.Cleanup(func() { exec.Command(r.ip, "link", "del", hostIf).Run() })
	r.run(t, "link", "set", peerIf, "netns", r.name)
	r.run(t, "addr", "add", r.hostIP+"/30", "dev", hostIf)
	r.run(t, "link", "set", hostIf, "up")
	r.run(t, "-n", r.name, "addr", "add", r.peerIP+"/30", "dev", peerIf)
	r.run(t, "-n", r.name, "link", "set", peerIf, "up")
	r.run(t, "-n", r.name, "link", "set", "lo", "up")
	// Never send a packet anywhere but the veth.
	if route := r.run(t, "-4", "route", "get", r.peerIP); !strings.Contains(route, "dev "+hostIf+" ") {
		t.Fatalf("the route to %s does not go through %s: %s", r.peerIP, hostIf, route)
	}
}

func (r *remoteHost) run(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command(r.ip, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// listen opens a TCP listener on the remote host, from a thread that
// joins its namespace and is thrown away afterwards.
func (r *remoteHost) listen(t *testing.T) net.Listener {
	t.Helper()
	type res struct {
		ln  net.Listener
		err error
	}
	ch := make(chan res)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with this goroutine
		ns, err := os.Open("/run/netns/" + r.name)
		if err != nil {
			ch <- res{nil, err}
			return
		}
		defer ns.Close()
		if err := unix.Setns(int(ns.Fd()), unix.CLONE_NEWNET); err != nil {
			ch <- res{nil, fmt.Errorf("setns: %w", err)}
			return
		}
		ln, err := net.Listen("tcp4", r.peerIP+":0")
		ch <- res{ln, err}
	}()
	got := <-ch
	if got.err != nil {
		t.Fatal(got.err)
	}
	t.Cleanup(func() { got.ln.Close() })
	return got.ln
}

// serveBanner writes banner to every connection and closes it.
func serveBanner(ln net.Listener, banner string) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		io.WriteString(c, banner)
		c.Close()
	}
}

func readBanner(t *testing.T, addr string) string {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("the host cannot reach %s: %v", addr, err)
	}
	defer c.Close()
	b, _ := io.ReadAll(c)
	return string(b)
}

// TestSandboxCannotReachRemoteHost: a host reachable from the host's
// namespace stays unreachable from the sandbox with forwarding on, even on
// a forwarded port number.
func TestSandboxCannotReachRemoteHost(t *testing.T) {
	remote := newRemoteHost(t)
	rln := remote.listen(t)
	go serveBanner(rln, "REMOTE")
	port := portOf(rln.Addr())
	if got := readBanner(t, rln.Addr().String()); got != "REMOTE" {
		t.Fatalf("from the host, the remote host said %q", got)
	}
	hostBanner := ""
	if hln, err := net.Listen("tcp4", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
		t.Cleanup(func() { hln.Close() })
		go serveBanner(hln, "HOST")
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
