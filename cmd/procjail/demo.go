package main

import (
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/procjail/procjail"
)

// demoScript is the hostile install script the demo runs.
//
//go:embed demo/install.sh
var demoScript []byte

const demoLong = `Run a small hostile "install script" in a sandbox with the default
configuration and show, attempt by attempt, what it managed to do and what
stopped it. The script tries to read secret environment variables (the demo
plants fake ones), a private SSH key in a fake home directory, procjail's
and its parent's /proc/<pid>/environ, to write into that home directory, to
connect to a listener the demo opens on the host's loopback, and to fork
until something stops it.

Each verdict comes from what the script observed, checked from the host
where the host can see it (the file it tried to write, the listener it
tried to reach). Nothing outside the demo's temporary directory is touched.`

func (a *app) demoCmd() *cobra.Command {
	var strategy procjail.Strategy
	cmd := &cobra.Command{
		Use:     "demo",
		Short:   "Run a hostile install script and show what was contained",
		Long:    demoLong,
		Example: "  procjail demo\n  procjail demo --strategy rlimits   # see what the weakest strategy lets through",
		Args:    cobra.NoArgs,
		RunE:    func(*cobra.Command, []string) error { return a.demo(strategy) },
	}
	cmd.Flags().Var(&strategy, "strategy", "strategy to demonstrate: auto, unshare, bubblewrap, firejail or rlimits")
	return cmd
}

func demoConfig(s procjail.Strategy) procjail.Config {
	cfg := procjail.DefaultConfig()
	cfg.Runtime = "/bin/sh"
	cfg.Strategy = s
	cfg.Timeout = 30 * time.Second
	cfg.CaptureStderr = true
	return cfg
}

// demo is `procjail demo`.
func (a *app) demo(s procjail.Strategy) error {
	d, err := newDemoEnv()
	if err != nil {
		return &exitError{code: exitNoSandbox, err: fmt.Errorf("demo: preparing the victim files: %w", err)}
	}
	defer d.close()
	restore := d.plantSecrets()
	p, err := procjail.Spawn(d.harness(), d.pkg, demoConfig(s))
	restore()
	if err != nil {
		return &exitError{code: spawnExitCode(err), err: err}
	}
	defer p.Close()
	lines, err := d.talk(p)
	u, werr := p.Wait()
	if err = errors.Join(err, werr); err != nil {
		a.log.Warn("demo: " + err.Error())
	}
	res := demoResult{enf: p.Enforced(), usage: u, outcomes: d.judge(parseAttempts(lines)), stderr: p.Stderr()}
	return res.print(a.stdout)
}

// talk sends the script its parameters and collects its output.
func (d *demoEnv) talk(p *procjail.Process) ([]string, error) {
	if err := p.Send(d.params()); err != nil {
		return nil, err
	}
	p.CloseStdin()
	var lines []string
	for {
		line, err := p.Recv()
		if errors.Is(err, io.EOF) {
			return lines, nil
		}
		if err != nil {
			return lines, err
		}
		lines = append(lines, line)
	}
}

func (d *demoEnv) params() string {
	return fmt.Sprintf("%d %s %s %d", os.Getpid(), d.home, d.mark, d.port())
}
