package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os/exec"

	"github.com/spf13/cobra"

	"github.com/procjail/procjail"
)

// procjail's own exit codes; every other code is the sandboxed command's.
const (
	exitTimeout    = 124 // the wall-clock timeout expired (as timeout(1))
	exitUsage      = 125 // bad flag, argument or configuration
	exitNoSandbox  = 126 // the sandbox could not be built, or it failed
	exitNotFound   = 127 // the command was not found
	exitSignalBase = 128 // 128+N: killed by signal N (or procjail got it)
)

// exitCodesHelp documents the codes in `run --help`.
const exitCodesHelp = `Exit status:
  N        the command's own exit status
  128+N    the command was killed by signal N (137: SIGKILL, e.g. a limit);
           also when procjail itself gets SIGINT (130), SIGTERM (143) or
           SIGHUP (129): it kills the sandbox and exits so
  124      the --timeout expired and the sandbox was killed
  125      procjail usage or configuration error (bad flag, bad --config)
  126      the sandbox could not be built: strategy unavailable, a --require
           unmet (procjail fails closed), a setup step failed; or CMD is not
           executable
  127      CMD was not found
  A command may itself exit with 124-127; --report tells them apart.`

// exitError carries the exit code a command ends with; err, when non-nil,
// is printed.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageError is a usage error of cmd (nil: of procjail as a whole).
func usageError(cmd *cobra.Command, err error) *exitError {
	path := "procjail"
	if cmd != nil {
		path = cmd.CommandPath()
	}
	return &exitError{code: exitUsage, err: fmt.Errorf("%w (see '%s --help')", err, path)}
}

// spawnExitCode classifies an error from procjail.Spawn.
func spawnExitCode(err error) int {
	var e *procjail.Error
	isErr := errors.As(err, &e)
	switch {
	case isErr && e.Field == "runtime_path" && (errors.Is(err, fs.ErrNotExist) || errors.Is(err, exec.ErrNotFound)):
		return exitNotFound
	case errors.Is(err, procjail.ErrInvalidConfig):
		return exitUsage
	case isErr && (e.Field == "work_dir" || e.Field == "harness"):
		return exitUsage
	}
	return exitNoSandbox
}

// usageExitCode is the exit code for a sandbox that ran.
func usageExitCode(u procjail.Usage) int {
	switch u.Reason {
	case procjail.ExitTimeout:
		return exitTimeout
	case procjail.ExitSetup, procjail.ExitLost:
		return exitNoSandbox
	}
	if u.ExitCode < 0 || u.ExitCode > 255 {
		return exitNoSandbox
	}
	return u.ExitCode
}
