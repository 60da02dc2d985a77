package netfwd

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/procjail/procjail/internal/testutil"
)

// sandbox is a re-executed test binary in a new user and network
// namespace, with a Forwarder in this process relaying its listeners.
type sandbox struct {
	t      *testing.T
	cmd    *exec.Cmd
	ctl    *os.File
	rd     *bufio.Reader
	stderr *bytes.Buffer
	fwd    *Forwarder
	eps    []Endpoint
}

// startSandbox starts the child, receives its listeners as the parent
// would, and starts a Forwarder on them.
func startSandbox(t *testing.T, cfg childConfig, opts Options) *sandbox {
	t.Helper()
	parent, child := socketpair(t)
	s := &sandbox{t: t, ctl: parent, rd: bufio.NewReader(parent), stderr: new(bytes.Buffer)}
	s.start(cfg, child)
	parent.SetDeadline(time.Now().Add(time.Minute))
	files, meta, err := RecvFDs(parent, 16)
	if errors.Is(err, ErrNoFrame) {
		line, _ := s.rd.ReadString('\n')
		t.Fatalf("the sandbox failed to set up: %s", line)
	}
	if err != nil {
		t.Fatalf("RecvFDs: %v (child stderr: %s)", err, s.stderr)
	}
	s.fwd, err = NewForwarder(files, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.fwd.Close() })
	s.eps = s.fwd.Endpoints()
	if got := Ports(s.eps); got != string(meta) {
		t.Fatalf("the forwarder sees %s, the sandbox sent %s", got, meta)
	}
	s.fwd.Start()
	return s
}

func (s *sandbox) start(cfg childConfig, child *os.File) {
	js, _ := json.Marshal(cfg)
	s.cmd = exec.Command(os.Args[0])
	s.cmd.Env = append(os.Environ(), childEnv+"="+string(js))
	s.cmd.ExtraFiles = []*os.File{child}
	s.cmd.Stderr = s.stderr
	s.cmd.SysProcAttr = &syscall.SysProcAttr{
		Cloneflags:  syscall.CLONE_NEWUSER | syscall.CLONE_NEWNET,
		UidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getuid(), Size: 1}},
		GidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getgid(), Size: 1}},
	}
	err := s.cmd.Start()
	child.Close()
	if errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.EACCES) || errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EINVAL) {
		testutil.Skip(s.t, testutil.MissingFeature, "user namespaces", "cannot start a child in a new user and network namespace: "+err.Error())
	}
	if err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(func() {
		s.cmd.Process.Kill()
		s.cmd.Wait()
	})
}

// has reports whether the sandbox listens on ep.
func (s *sandbox) has(ep Endpoint) bool {
	for _, e := range s.eps {
		if e == ep {
			return true
		}
	}
	return false
}

// run sends the probes, collects the results and waits for the child.
func (s *sandbox) run(probes []probe) map[string]result {
	s.t.Helper()
	if err := json.NewEncoder(s.ctl).Encode(probes); err != nil {
		s.t.Fatal(err)
	}
	var results []result
	if err := json.NewDecoder(s.rd).Decode(&results); err != nil {
		s.t.Fatalf("reading the probes' results: %v (child stderr: %s)", err, s.stderr)
	}
	if err := s.cmd.Wait(); err != nil {
		s.t.Fatalf("sandbox child: %v (stderr: %s)", err, s.stderr)
	}
	out := make(map[string]result, len(results))
	for _, r := range results {
		out[r.Name] = r
		s.t.Logf("probe %s: %+v", r.Name, r)
	}
	return out
}

// stats returns the final stats by endpoint, after closing the forwarder.
func (s *sandbox) stats() map[Endpoint]PortStats {
	s.t.Helper()
	if err := s.fwd.Close(); err != nil {
		s.t.Fatalf("Close: %v", err)
	}
	out := make(map[Endpoint]PortStats)
	for _, st := range s.fwd.Stats() {
		out[Endpoint{st.Proto, st.Port}] = st
	}
	return out
}
