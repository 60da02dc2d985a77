package main

import (
	"errors"
	"io"
	"log/slog"

	"github.com/spf13/cobra"
)

// app is one invocation of the CLI: its streams and its logger.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	level          slog.LevelVar
	log            *slog.Logger
	quiet, verbose bool
}

func newApp(stdin io.Reader, stdout, stderr io.Writer) *app {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	a.level.Set(slog.LevelWarn)
	a.log = slog.New(newLineHandler(stderr, &a.level))
	return a
}

// execute runs the command line args and returns the process exit code.
func (a *app) execute(args []string) int {
	root := a.rootCmd()
	root.SetArgs(args)
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	return a.exitCode(root.Execute())
}

func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "procjail",
		Short: "Run hostile code inside a kernel-enforced sandbox",
		Long: `procjail runs untrusted code (npm/pip install scripts, binaries) inside a
sandbox built from Linux namespaces, seccomp, Landlock and resource limits,
and says honestly what it enforces on this host.

Start with:
  procjail demo            run a hostile install script and see what is contained
  procjail probe           what this host can enforce, and how to get the rest
  procjail run -- CMD      run CMD sandboxed`,
		SilenceUsage:      true,
		SilenceErrors:     true,
		PersistentPreRunE: func(*cobra.Command, []string) error { a.applyVerbosity(); return nil },
	}
	root.PersistentFlags().BoolVarP(&a.quiet, "quiet", "q", false, "print only errors (no warnings)")
	root.PersistentFlags().BoolVarP(&a.verbose, "verbose", "v", false, "also print what procjail chose and the usage")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError(c, err) })
	root.AddCommand(a.runCmd(), a.probeCmd(), a.envCmd(), a.versionCmd(), a.demoCmd())
	return root
}

func (a *app) applyVerbosity() {
	switch {
	case a.quiet:
		a.level.Set(slog.LevelError)
	case a.verbose:
		a.level.Set(slog.LevelDebug)
	}
}

// exitCode prints err (if any) and maps it to the exit code. Errors that
// are not an *exitError come from cobra's own parsing: usage errors.
func (a *app) exitCode(err error) int {
	if err == nil {
		return 0
	}
	var ee *exitError
	if !errors.As(err, &ee) {
		ee = usageError(nil, err)
	}
	if ee.err != nil {
		a.log.Error(ee.err.Error())
	}
	return ee.code
}
