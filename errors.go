package procjail

import (
	"errors"
	"strings"
)

// Sentinel errors, to be tested with errors.Is.
var (
	// ErrInvalidConfig: a Config field is missing, zero, absurd or
	// contradictory. The *Error names the field and the fix.
	ErrInvalidConfig = errors.New("invalid configuration")
	// ErrRequirement: the caller required a protection (Config.Require)
	// that this host or strategy cannot give. Spawn fails closed.
	ErrRequirement = errors.New("required containment unavailable")
	// ErrStrategyUnavailable: a forced strategy cannot run on this host.
	ErrStrategyUnavailable = errors.New("strategy unavailable")
	// ErrSetup: a step of building the sandbox failed before the payload
	// started.
	ErrSetup = errors.New("sandbox setup failed")
	// ErrNotSupported: the operating system cannot sandbox (procjail's
	// isolation is Linux-only).
	ErrNotSupported = errors.ErrUnsupported
	// ErrLineTooLong: the child wrote a line longer than
	// Config.MaxLineBytes. The rest of that line is discarded by the next
	// Recv.
	ErrLineTooLong = errors.New("line longer than the maximum line length")
	// ErrNewline: Send was given a line containing a newline.
	ErrNewline = errors.New("line contains a newline")
	// ErrClosed: the process was closed or killed.
	ErrClosed = errors.New("process closed")
	// ErrStdoutRedirected: Recv was called although the payload's stdout is
	// copied to a writer (WithStdio).
	ErrStdoutRedirected = errors.New("stdout is redirected")
)

// Error is procjail's structured error. Op is the operation ("config",
// "spawn", "send", "recv", "wait", "load"…), Step the setup step that failed
// when there is one ("mount /usr", "seccomp"…), Field the Config field at
// fault when there is one. Err is the cause (a sentinel above, an errno, or
// another error); Hint says how to fix it.
type Error struct {
	Op     string
	Step   string
	Field  string
	Detail string
	Hint   string
	Err    error
}

// Error formats "procjail: <op>: <step|field>: <detail>: <cause>. Fix: <hint>".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("procjail: ")
	b.WriteString(e.Op)
	for _, s := range []string{e.Step, e.Field, e.Detail} {
		if s != "" {
			b.WriteString(": ")
			b.WriteString(s)
		}
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	if e.Hint != "" {
		b.WriteString(". Fix: ")
		b.WriteString(e.Hint)
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

func configError(field, detail, hint string) error {
	return &Error{Op: "config", Field: field, Detail: detail, Hint: hint, Err: ErrInvalidConfig}
}
