package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"testing"

	"github.com/procjail/procjail"
)

func TestSpawnExitCode(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want int
	}{
		{"not in PATH", &procjail.Error{Op: "spawn", Field: "runtime_path", Err: exec.ErrNotFound}, exitNotFound},
		{"no such file", &procjail.Error{Op: "spawn", Field: "runtime_path", Err: &fs.PathError{Op: "stat", Path: "/x", Err: fs.ErrNotExist}}, exitNotFound},
		{"not executable", &procjail.Error{Op: "spawn", Field: "runtime_path", Err: fs.ErrPermission}, exitNoSandbox},
		{"invalid config", &procjail.Error{Op: "config", Field: "max_fds", Err: procjail.ErrInvalidConfig}, exitUsage},
		{"joined invalid config", &procjail.Error{Op: "config", Err: errors.Join(procjail.ErrInvalidConfig, errors.New("x"))}, exitUsage},
		{"bad work dir", &procjail.Error{Op: "spawn", Field: "work_dir", Err: fs.ErrNotExist}, exitUsage},
		{"requirement", &procjail.Error{Op: "spawn", Err: procjail.ErrRequirement}, exitNoSandbox},
		{"strategy", &procjail.Error{Op: "spawn", Err: procjail.ErrStrategyUnavailable}, exitNoSandbox},
		{"setup", &procjail.Error{Op: "spawn", Step: "mount /usr", Err: errors.Join(procjail.ErrSetup, fs.ErrNotExist)}, exitNoSandbox},
		{"unsupported OS", &procjail.Error{Op: "spawn", Err: procjail.ErrNotSupported}, exitNoSandbox},
		{"wrapped", fmt.Errorf("x: %w", &procjail.Error{Op: "spawn", Field: "runtime_path", Err: exec.ErrNotFound}), exitNotFound},
	} {
		if got := spawnExitCode(tc.err); got != tc.want {
			t.Errorf("%s: spawnExitCode = %d, want %d", tc.name, got, tc.want)
		}
	}
}

func TestUsageExitCode(t *testing.T) {
	for _, tc := range []struct {
		u    procjail.Usage
		want int
	}{
		{procjail.Usage{Reason: procjail.ExitNormal, ExitCode: 0}, 0},
		{procjail.Usage{Reason: procjail.ExitNormal, ExitCode: 3}, 3},
		{procjail.Usage{Reason: procjail.ExitSignaled, ExitCode: 137}, 137},
		{procjail.Usage{Reason: procjail.ExitOOM, ExitCode: 137}, 137},
		{procjail.Usage{Reason: procjail.ExitCPULimit, ExitCode: 152}, 152},
		{procjail.Usage{Reason: procjail.ExitTimeout, ExitCode: 137}, exitTimeout},
		{procjail.Usage{Reason: procjail.ExitSetup, ExitCode: 1}, exitNoSandbox},
		{procjail.Usage{Reason: procjail.ExitLost, ExitCode: -1}, exitNoSandbox},
		{procjail.Usage{Reason: procjail.ExitNormal, ExitCode: -1}, exitNoSandbox},
	} {
		if got := usageExitCode(tc.u); got != tc.want {
			t.Errorf("usageExitCode(%s) = %d, want %d", tc.u, got, tc.want)
		}
	}
}
