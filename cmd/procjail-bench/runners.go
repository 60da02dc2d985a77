package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/procjail/procjail"
)

// harnessScript prints one line, then echoes every line back, with shell
// builtins only (a round trip starts no process).
const harnessScript = "echo ready\nwhile IFS= read -r l; do printf '%s\\n' \"$l\"; done\n"

// session is one running harness, whatever runs it.
type session interface {
	send(line string) error
	recv() (string, error)
	close() error
}

// runner starts sessions of one contender.
type runner struct {
	name  string
	start func() (session, error)
}

// writeHarness writes the harness into a new directory every uid can
// read (as root, procjail runs the payload as an unprivileged uid).
func writeHarness() (dir, harness string, err error) {
	dir, err = os.MkdirTemp("", "procjail-bench-")
	if err == nil {
		err = os.Chmod(dir, 0o755)
	}
	if err != nil {
		return "", "", fmt.Errorf("creating the harness directory: %w", err)
	}
	harness = filepath.Join(dir, "harness.sh")
	if err := os.WriteFile(harness, []byte(harnessScript), 0o644); err != nil {
		os.RemoveAll(dir)
		return "", "", fmt.Errorf("writing the harness: %w", err)
	}
	return dir, harness, nil
}

// contenders lists what runs on this host, bare exec first, and why the
// others were left out.
func contenders(o options, dir, harness string) ([]runner, []skip) {
	rs := []runner{{name: "bare", start: func() (session, error) {
		return startExec(exec.Command("/bin/sh", harness))
	}}}
	var skipped []skip
	caps := procjail.ProbeCapabilities()
	for _, s := range procjail.Strategies {
		f := caps.Strategies[s.String()]
		if !f.Available {
			skipped = append(skipped, skip{Name: "procjail/" + s.String(), Reason: f.Reason})
			continue
		}
		rs = append(rs, procjailRunner(s, dir, harness))
	}
	if r, why := bwrapRunner(o.bwrap, dir); why != "" {
		skipped = append(skipped, skip{Name: "bwrap", Reason: why})
	} else {
		rs = append(rs, r)
	}
	return rs, skipped
}

// procjailRunner runs the harness with procjail's default limits under
// strategy s.
func procjailRunner(s procjail.Strategy, dir, harness string) runner {
	cfg := procjail.DefaultConfig()
	cfg.Runtime, cfg.Strategy, cfg.CaptureStderr = "/bin/sh", s, true
	return runner{name: "procjail/" + s.String(), start: func() (session, error) {
		p, err := procjail.Spawn(harness, dir, cfg)
		if err != nil {
			return nil, err
		}
		return &procjailSession{p}, nil
	}}
}

type procjailSession struct{ p *procjail.Process }

func (s *procjailSession) send(line string) error { return s.p.Send(line) }
func (s *procjailSession) recv() (string, error)  { return s.p.Recv() }
func (s *procjailSession) close() error           { return s.p.Close() }

// execSession is a harness under os/exec (bare, or under bwrap).
type execSession struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout *bufio.Reader
}

func startExec(cmd *exec.Cmd) (session, error) {
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", cmd.Path, err)
	}
	return &execSession{cmd: cmd, stdin: stdin, stdout: bufio.NewReader(stdout)}, nil
}

func (s *execSession) send(line string) error {
	_, err := io.WriteString(s.stdin, line+"\n")
	return err
}

func (s *execSession) recv() (string, error) {
	line, err := s.stdout.ReadString('\n')
	return strings.TrimSuffix(line, "\n"), err
}

// close ends the harness by closing its stdin, as a caller done with it
// would, and reaps it.
func (s *execSession) close() error {
	s.stdin.Close()
	return s.cmd.Wait()
}
