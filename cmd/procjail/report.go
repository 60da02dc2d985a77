package main

import (
	"bytes"
	"fmt"
	"os"
	"syscall"

	"github.com/procjail/procjail"
)

// runReport is what --report writes: the usage and the enforcement side
// by side (their fields at the top level), the command, and procjail's
// own exit code.
type runReport struct {
	Argv []string `json:"argv"`
	procjail.Usage
	procjail.Enforcement
	// ProcjailExitCode is the exit code procjail itself returned.
	ProcjailExitCode int `json:"procjail_exit_code"`
	// Interrupted names the signal procjail got, if it killed the sandbox
	// because of one.
	Interrupted string `json:"interrupted,omitempty"`
	// Error is why the sandbox could not be built.
	Error string `json:"error,omitempty"`
	// Stderr is the command's captured stderr (--capture-stderr).
	Stderr string `json:"stderr,omitempty"`
}

func doneReport(argv []string, p *procjail.Process, u procjail.Usage, sig syscall.Signal, code int) *runReport {
	r := &runReport{Argv: argv, Usage: u, Enforcement: p.Enforced(), ProcjailExitCode: code, Stderr: string(p.Stderr())}
	if sig != 0 {
		r.Interrupted = sig.String()
	}
	return r
}

func failureReport(argv []string, cfg procjail.Config, err error, code int) *runReport {
	return &runReport{
		Argv:             argv,
		Usage:            procjail.Usage{Reason: procjail.ExitSetup, ExitCode: -1, Detail: err.Error()},
		Enforcement:      procjail.Enforcement{Strategy: cfg.Strategy, Layers: []procjail.Layer{}},
		ProcjailExitCode: code,
		Error:            err.Error(),
	}
}

// writeReport writes r as indented JSON to path ("-": stderr; "": none).
func (a *app) writeReport(path string, r *runReport) error {
	if path == "" {
		return nil
	}
	var buf bytes.Buffer
	if err := writeJSON(&buf, r); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	var err error
	if path == "-" {
		_, err = a.stderr.Write(buf.Bytes())
	} else {
		err = os.WriteFile(path, buf.Bytes(), 0o644)
	}
	if err != nil {
		return fmt.Errorf("writing the report to %s: %w", path, err)
	}
	return nil
}
