package envpolicy

import (
	"errors"
	"fmt"
	"strings"
)

// Configuration field names, as they appear in errors.
const (
	FieldMode         = "env_mode"
	FieldPassthrough  = "env_passthrough"
	FieldSet          = "env_set"
	FieldStrip        = "env_strip"
	FieldStripSecrets = "env_strip_secrets"
)

// Sentinel errors wrapped by [PolicyError]; test for them with errors.Is.
var (
	// ErrUnknownMode: Mode is not one of the Mode constants.
	ErrUnknownMode = errors.New("unknown environment mode")
	// ErrModeConflict: StripSecrets contradicts Mode.
	ErrModeConflict = errors.New("conflicts with env_mode")
	// ErrInvalidName: a name or pattern is empty or has a forbidden byte.
	ErrInvalidName = errors.New("invalid variable name")
	// ErrInvalidValue: a Set value has a NUL byte or is too long.
	ErrInvalidValue = errors.New("invalid variable value")
	// ErrSecret: the policy would hand a secret to the sandbox.
	ErrSecret = errors.New("secret variable")
	// ErrLoaderInjection: a loader-injection variable was listed in
	// Passthrough; only Set can pass one.
	ErrLoaderInjection = errors.New("loader-injection variable")
)

// PolicyError is one problem found by [Policy.Validate]. It never holds a
// variable's value.
type PolicyError struct {
	Field  string // configuration field, e.g. FieldSet
	Name   string // offending name or pattern; empty for mode-level errors
	Err    error  // one of the Err* sentinels
	Detail string // what exactly is wrong; may be empty
	Hint   string // how to fix it; may be empty
}

// Error formats the problem as `field "NAME": cause (detail); hint`.
func (e *PolicyError) Error() string {
	var b strings.Builder
	b.WriteString(e.Field)
	if e.Name != "" {
		fmt.Fprintf(&b, " %q", e.Name)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	if e.Detail != "" {
		b.WriteString(": " + e.Detail)
	}
	if e.Hint != "" {
		b.WriteString("; " + e.Hint)
	}
	return b.String()
}

// Unwrap returns the sentinel error.
func (e *PolicyError) Unwrap() error { return e.Err }

// shownName returns the part of a configured name that is safe to print:
// anything after an '=' may be a value, so it is cut off.
func shownName(name string) string {
	if i := strings.IndexByte(name, '='); i >= 0 {
		return name[:i] + "=…"
	}
	return name
}
