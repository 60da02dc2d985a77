package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/procjail/procjail"
)

// runFlags are the flags of `procjail run`.
type runFlags struct {
	*configFlags
	workDir string
	report  string
}

const runLong = `Run CMD with ARGS inside a sandbox. CMD is looked up in procjail's PATH (or
given as a path); stdin, stdout and stderr are passed through (copied: the
terminal itself is never handed to the sandbox), and the exit status is
CMD's.

The sandbox starts in the work dir (--work-dir, default: the current
directory), which it sees read-only unless --writable-work-dir is given.
Every flag below mirrors a field of the TOML config file (--config), which
uses the same names with '_' (max_memory_bytes, env_mode, ...); flags given
explicitly override the file. Sizes take units: 256M, 1G (binary).

When the sandbox is weaker than the unshare strategy (no namespaces on this
host), procjail prints one warning saying what is not isolated and why
(--quiet hides it); --require makes it fail instead.

` + exitCodesHelp

const runExample = `  procjail run -- npm install --ignore-scripts=false
  procjail run --timeout 2m --max-memory-bytes 1G -- python3 setup.py build
  procjail run --require fs,net,pid --report report.json -- ./suspicious-binary
  echo '{"q":1}' | procjail run --config jail.toml -- node harness.js`

func (a *app) runCmd() *cobra.Command {
	f := &runFlags{configFlags: newConfigFlags()}
	cmd := &cobra.Command{
		Use:     "run [flags] -- CMD [ARGS...]",
		Short:   "Run a command inside a sandbox",
		Long:    runLong,
		Example: runExample,
		Args:    needCommand,
		RunE:    func(cmd *cobra.Command, args []string) error { return a.run(cmd, f, args) },
	}
	fs := cmd.Flags()
	fs.SetInterspersed(false) // everything after CMD belongs to CMD
	fs.SortFlags = false
	f.addAll(fs)
	fs.StringVar(&f.workDir, "work-dir", "", "directory the command starts in (default: the current directory)")
	fs.StringVar(&f.report, "report", "", `write a JSON report (usage, enforcement, argv) to this file; "-" = stderr`)
	return cmd
}

func needCommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return usageError(cmd, fmt.Errorf("no command given: use procjail run [flags] -- CMD [ARGS...]"))
	}
	return nil
}

// run is `procjail run`.
func (a *app) run(cmd *cobra.Command, f *runFlags, args []string) error {
	cfg, err := f.resolve(cmd.Flags())
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	cfg.Runtime, cfg.RuntimeArgs = args[0], args[1:]
	if err := cfg.Validate(); err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	workDir, err := f.dir()
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)
	p, err := procjail.Spawn("", workDir, cfg, procjail.WithStdio(a.stdin, a.stdout, a.stderr))
	if err != nil {
		return a.spawnFailed(f.report, args, cfg, err)
	}
	defer p.Close()
	a.logStart(p)
	return a.finish(f.report, args, p, sigs)
}

func (f *runFlags) dir() (string, error) {
	if f.workDir != "" {
		return f.workDir, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("current directory: %w (pass --work-dir)", err)
	}
	return wd, nil
}

func (a *app) spawnFailed(reportPath string, argv []string, cfg procjail.Config, err error) error {
	code := spawnExitCode(err)
	r := failureReport(argv, cfg, err, code)
	if werr := a.writeReport(reportPath, r); werr != nil {
		a.log.Error(werr.Error())
	}
	return &exitError{code: code, err: err}
}

func (a *app) logStart(p *procjail.Process) {
	e := p.Enforced()
	if w := weakWarning(e); w != "" {
		a.log.Warn(w)
	}
	a.log.Debug("sandbox started", "strategy", e.Strategy.String(), "supervisor_pid", p.Pid())
}

// finish waits for the sandbox (killing it if procjail gets a signal),
// writes the report and returns the exit code.
func (a *app) finish(reportPath string, argv []string, p *procjail.Process, sigs <-chan os.Signal) error {
	u, sig, err := waitOrSignal(p, sigs)
	if err != nil {
		return &exitError{code: exitNoSandbox, err: fmt.Errorf("waiting for the sandbox: %w", err)}
	}
	code := usageExitCode(u)
	if sig != 0 {
		code = exitSignalBase + int(sig)
	}
	a.log.Debug("sandbox ended", "usage", u.String())
	r := doneReport(argv, p, u, sig, code)
	if reportPath == "" && r.Stderr != "" {
		fmt.Fprint(a.stderr, r.Stderr)
	}
	if err := a.writeReport(reportPath, r); err != nil {
		a.log.Error(err.Error())
	}
	return exitWith(code)
}

func exitWith(code int) error {
	if code == 0 {
		return nil
	}
	return &exitError{code: code}
}

// waitOrSignal waits for the sandbox; a signal to procjail kills it first.
// The signal is returned (0 if none).
func waitOrSignal(p *procjail.Process, sigs <-chan os.Signal) (procjail.Usage, syscall.Signal, error) {
	type result struct {
		u   procjail.Usage
		err error
	}
	done := make(chan result, 1)
	go func() {
		u, err := p.Wait()
		done <- result{u, err}
	}()
	select {
	case r := <-done:
		return r.u, 0, r.err
	case s := <-sigs:
		p.Kill()
		r := <-done
		return r.u, signalNumber(s), r.err
	}
}

func signalNumber(s os.Signal) syscall.Signal {
	if n, ok := s.(syscall.Signal); ok {
		return n
	}
	return syscall.SIGTERM
}
