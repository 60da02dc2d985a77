package fsview

import (
	"errors"
	"fmt"
)

// StepError reports which step of building or applying the view failed,
// on which path, and why. Err keeps the cause (often a syscall.Errno), so
// errors.Is(err, unix.EPERM) works through it; Hint, when set, says how to
// fix it.
type StepError struct {
	Step string // what was being done: "validate", "bind-ro", "pivot_root", ...
	Path string // the path concerned (a sandbox path for targets, a host path for sources); may be ""
	Err  error  // the cause
	Hint string // how to fix it, or ""
}

// Error formats the step, the path, the cause and the hint on one line.
func (e *StepError) Error() string {
	msg := "fsview:"
	if e.Step != "" {
		msg += " " + e.Step
	}
	if e.Path != "" {
		msg += " " + e.Path
	}
	msg += ": " + errString(e.Err)
	if e.Hint != "" {
		msg += " (hint: " + e.Hint + ")"
	}
	return msg
}

// Unwrap returns the cause.
func (e *StepError) Unwrap() error { return e.Err }

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// stepErr returns err as a *StepError for step and path; nil stays nil. A
// *StepError that already names its step is kept as it is (it is more
// precise); one without a step gets step and path filled in.
func stepErr(step, path string, err error) error {
	if err == nil {
		return nil
	}
	var se *StepError
	if errors.As(err, &se) {
		if se.Step == "" {
			se.Step, se.Path = step, path
		}
		return se
	}
	return &StepError{Step: step, Path: path, Err: err}
}

// withHint attaches a hint to err, as a *StepError whose step the caller
// may still fill in through stepErr.
func withHint(err error, hint string) error {
	var se *StepError
	if errors.As(err, &se) {
		if se.Hint == "" {
			se.Hint = hint
		}
		return se
	}
	return &StepError{Err: err, Hint: hint}
}

// withHintIf is withHint for an error that may be nil.
func withHintIf(err error, hint string) error {
	if err == nil {
		return nil
	}
	return withHint(err, hint)
}

// invalid reports a request or plan that cannot be honoured; the error
// wraps ErrInvalid.
func invalid(path, format string, args ...any) *StepError {
	err := fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
	return &StepError{Step: "validate", Path: path, Err: err}
}

// hinted sets the hint of e and returns it.
func (e *StepError) hinted(hint string) *StepError {
	e.Hint = hint
	return e
}

// ErrInvalid is wrapped by every validation failure of a Request or Plan.
var ErrInvalid = errors.New("invalid filesystem view")
