package testutil

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
)

// RemoteHost is a network namespace made with `ip netns add`, joined to
// this one by a veth pair: another machine, as far as routing goes. Only
// root can make one; the tests that use it skip (NotForThisCaller) in the
// unprivileged run.
type RemoteHost struct {
	ip     string // the `ip` binary
	name   string // netns name
	HostIP string // our end of the veth
	PeerIP string // the remote end
}

// NewRemoteHost makes the namespace and the veth pair; t.Cleanup removes
// them.
func NewRemoteHost(t *testing.T) *RemoteHost {
	t.Helper()
	if os.Geteuid() != 0 {
		Skip(t, NotForThisCaller, "root", "adding a network namespace and a veth pair needs root; the root run covers it")
	}
	ipBin, err := exec.LookPath("ip")
	if err != nil {
		Skip(t, MissingFeature, "iproute2", "the ip command is not installed")
	}
	pid := os.Getpid()
	// 198.18.0.0/15 is reserved for network tests: it is routed nowhere.
	r := &RemoteHost{ip: ipBin, name: fmt.Sprintf("pjrh%d", pid),
		HostIP: fmt.Sprintf("198.18.%d.1", pid%250), PeerIP: fmt.Sprintf("198.18.%d.2", pid%250)}
	r.setup(t, pid)
	return r
}

func (r *RemoteHost) setup(t *testing.T, pid int) {
	t.Helper()
	hostIf, peerIf := fmt.Sprintf("pjh%d", pid), fmt.Sprintf("pjr%d", pid)
	r.run(t, "netns", "add", r.name)
	t.Cleanup(func() { exec.Command(r.ip, "netns", "del", r.name).Run() })
	r.run(t, "link", "add", hostIf, "type", "veth", "peer", "name", peerIf)
	t.Cleanup(func() { exec.Command(r.ip, "link", "del", hostIf).Run() })
	r.run(t, "link", "set", peerIf, "netns", r.name)
	r.run(t, "addr", "add", r.HostIP+"/30", "dev", hostIf)
	r.run(t, "link", "set", hostIf, "up")
	r.run(t, "-n", r.name, "addr", "add", r.PeerIP+"/30", "dev", peerIf)
	r.run(t, "-n", r.name, "link", "set", peerIf, "up")
	r.run(t, "-n", r.name, "link", "set", "lo", "up")
	// Never send a packet anywhere but the veth.
	if route := r.run(t, "-4", "route", "get", r.PeerIP); !strings.Contains(route, "dev "+hostIf+" ") {
		t.Fatalf("the route to %s does not go through %s: %s", r.PeerIP, hostIf, route)
	}
}

func (r *RemoteHost) run(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command(r.ip, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// Listen opens a TCP listener on the remote host, from a thread that
// joins its namespace and is thrown away afterwards.
func (r *RemoteHost) Listen(t *testing.T) net.Listener {
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
		ln, err := net.Listen("tcp4", r.PeerIP+":0")
		ch <- res{ln, err}
	}()
	got := <-ch
	if got.err != nil {
		t.Fatal(got.err)
	}
	t.Cleanup(func() { got.ln.Close() })
	return got.ln
}

// ServeBanner writes banner to every connection and closes it.
func ServeBanner(ln net.Listener, banner string) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		io.WriteString(c, banner)
		c.Close()
	}
}

// ReadBanner connects to addr and returns what it says.
func ReadBanner(t *testing.T, addr string) string {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("the host cannot reach %s: %v", addr, err)
	}
	defer c.Close()
	b, _ := io.ReadAll(c)
	return string(b)
}
