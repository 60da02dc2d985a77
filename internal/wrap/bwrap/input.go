package bwrap

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/procjail/procjail/internal/fsview"
)

// Input is everything Build needs. The zero value of each optional field
// is documented; Plan and Argv are required.
type Input struct {
	// BwrapPath is the absolute host path of bwrap. "" means /usr/bin/bwrap.
	BwrapPath string
	// Plan is the filesystem view, as fsview.Build makes it.
	Plan *fsview.Plan
	// Argv is the payload's argv; Argv[0] is an absolute path inside the view.
	Argv []string
	// Env is the payload's whole environment, as "NAME=value" strings.
	Env []string
	// Dir is the payload's working directory inside the view; "" means "/".
	Dir string
	// UID and GID are the payload's ids inside its user namespace.
	UID, GID int
	// Hostname is the sandbox's host name; "" means "sandbox".
	Hostname string
	// UnshareNet gives the sandbox an empty network namespace (loopback
	// only). When false the host's network namespace is shared.
	UnshareNet bool
	// Seccomp is the filter bwrap installs just before it execs the
	// payload, as seccomp.Encode lays it out; nil means none.
	Seccomp []byte
	// AsRoot says the caller is root. bwrap is then started as HostUID and
	// HostGID (see Command.Credential), so that the payload is never host
	// uid 0.
	AsRoot bool
	// HostUID and HostGID are the unprivileged host ids bwrap runs as when
	// AsRoot; ignored otherwise.
	HostUID, HostGID int
}

// DefaultPath is where bwrap is looked for when Input.BwrapPath is "".
const DefaultPath = "/usr/bin/bwrap"

// DefaultHostname is the sandbox's host name when Input.Hostname is "".
const DefaultHostname = "sandbox"

func (in Input) path() string {
	if in.BwrapPath == "" {
		return DefaultPath
	}
	return in.BwrapPath
}

func (in Input) hostname() string {
	if in.Hostname == "" {
		return DefaultHostname
	}
	return in.Hostname
}

func (in Input) dir() string {
	if in.Dir == "" {
		return "/"
	}
	return in.Dir
}

// validate checks what the command line depends on, before anything is
// built from it.
func (in Input) validate() error {
	for _, check := range []func() error{in.checkPaths, in.checkPlan, in.checkArgv, in.checkEnv, in.checkIDs, in.checkSeccomp} {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

func (in Input) checkPaths() error {
	if err := checkAbs("BwrapPath", in.path()); err != nil {
		return err
	}
	return checkAbs("Dir", in.dir())
}

func (in Input) checkPlan() error {
	if in.Plan == nil {
		return inputErr("Plan", "no filesystem plan", "build one with fsview.Build")
	}
	if err := in.Plan.Validate(); err != nil {
		return fmt.Errorf("bwrap: invalid plan: %w", err)
	}
	return nil
}

func (in Input) checkArgv() error {
	if len(in.Argv) == 0 {
		return inputErr("Argv", "empty payload argv", "give at least the program to run")
	}
	if err := checkAbs("Argv[0]", in.Argv[0]); err != nil {
		return err
	}
	return checkNoNUL("Argv", in.Argv...)
}

func (in Input) checkEnv() error {
	for _, kv := range in.Env {
		name, _, ok := strings.Cut(kv, "=")
		if !ok || name == "" {
			return inputErr("Env", fmt.Sprintf("entry %q is not NAME=value", kv), "")
		}
	}
	return checkNoNUL("Env", in.Env...)
}

func (in Input) checkIDs() error {
	if in.UID < 0 || in.GID < 0 {
		return inputErr("UID", fmt.Sprintf("negative uid/gid %d/%d", in.UID, in.GID), "")
	}
	if in.AsRoot && (in.HostUID <= 0 || in.HostGID <= 0) {
		return inputErr("HostUID", fmt.Sprintf("caller is root but host uid/gid is %d/%d", in.HostUID, in.HostGID),
			"as root, bwrap must be started as an unprivileged host uid and gid, or the payload runs as host uid 0")
	}
	return checkNoNUL("Hostname", in.Hostname)
}

func (in Input) checkSeccomp() error {
	if len(in.Seccomp)%8 != 0 {
		return inputErr("Seccomp", fmt.Sprintf("%d bytes is not a whole number of 8-byte instructions", len(in.Seccomp)),
			"pass the output of seccomp.Encode")
	}
	return nil
}

// InputError says which Input field is wrong and why.
type InputError struct {
	Field string // the Input field
	Msg   string // what is wrong
	Hint  string // how to fix it, or ""
}

// Error formats the field, the problem and the hint.
func (e *InputError) Error() string {
	msg := "bwrap: " + e.Field + ": " + e.Msg
	if e.Hint != "" {
		msg += " (hint: " + e.Hint + ")"
	}
	return msg
}

func inputErr(field, msg, hint string) error {
	return &InputError{Field: field, Msg: msg, Hint: hint}
}

func checkAbs(field, p string) error {
	if !filepath.IsAbs(p) || filepath.Clean(p) != p {
		return inputErr(field, fmt.Sprintf("%q is not a clean absolute path", p), "")
	}
	return checkNoNUL(field, p)
}

// checkNoNUL refuses NUL bytes: options travel NUL-separated, so a NUL
// would split one argument into two.
func checkNoNUL(field string, values ...string) error {
	for _, v := range values {
		if strings.IndexByte(v, 0) >= 0 {
			return inputErr(field, fmt.Sprintf("%q contains a NUL byte", v), "")
		}
	}
	return nil
}
