package firejail

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/procjail/procjail/internal/fsview"
)

// Input is everything Build needs. Plan, Argv, Home and Root are
// required; the zero value of every other field is documented.
type Input struct {
	// FirejailPath is the absolute host path of firejail; "" means
	// /usr/bin/firejail.
	FirejailPath string
	// Plan is the filesystem view, as fsview.Build makes it. firejail can
	// show host paths only at the same path: a bind whose source and
	// target differ is an error.
	Plan *fsview.Plan
	// Argv is the payload's argv; Argv[0] is an absolute path.
	Argv []string
	// Env is the payload's whole environment ("NAME=value"). It becomes
	// Command.Env.
	Env []string
	// Dir is the payload's working directory; "" means its (empty) home.
	Dir string
	// Home is the home directory, from the password database, of the uid
	// firejail runs as: firejail replaces it with an empty tmpfs.
	Home string
	// Root lists the host's top-level directory entries (ListRoot).
	Root []RootEntry
	// UnshareNet gives the sandbox an empty network namespace (loopback
	// only). When false the host's network namespace is shared.
	UnshareNet bool
	// Hostname is the sandbox's host name; "" means "sandbox".
	Hostname string
	// Limits are the rlimits firejail sets; a zero field sets nothing.
	Limits Limits
	// AsRoot says firejail will run as uid 0. firejail then cannot take
	// root away from the payload (see Command.Limitations).
	AsRoot bool
}

// Limits are the rlimits firejail sets on the payload (soft = hard). A
// zero field leaves that limit alone. There is deliberately no
// address-space limit: RLIMIT_AS stops V8 and the JVM from starting;
// limit memory with a cgroup instead.
type Limits struct {
	NoFile     uint64 // open files (rlimit-nofile)
	NProc      uint64 // processes of the uid (rlimit-nproc)
	CPUSeconds uint64 // CPU time (rlimit-cpu)
	FileSize   uint64 // bytes in one file (rlimit-fsize)
	SigPending uint64 // queued signals (rlimit-sigpending)
}

// DefaultPath is where firejail is looked for when Input.FirejailPath is "".
const DefaultPath = "/usr/bin/firejail"

// DefaultHostname is the sandbox's host name when Input.Hostname is "".
const DefaultHostname = "sandbox"

func (in Input) path() string {
	if in.FirejailPath == "" {
		return DefaultPath
	}
	return in.FirejailPath
}

func (in Input) hostname() string {
	if in.Hostname == "" {
		return DefaultHostname
	}
	return in.Hostname
}

func (in Input) validate() error {
	for _, check := range []func() error{in.checkPaths, in.checkPlan, in.checkArgv, in.checkEnv, in.checkRoot} {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

func (in Input) checkPaths() error {
	if err := checkAbs("FirejailPath", in.path()); err != nil {
		return err
	}
	if err := checkAbs("Home", in.Home); err != nil {
		return err
	}
	if in.Dir != "" {
		if err := checkAbs("Dir", in.Dir); err != nil {
			return err
		}
	}
	return checkProfileWord("Hostname", in.hostname())
}

func (in Input) checkPlan() error {
	if in.Plan == nil {
		return inputErr("Plan", "no filesystem plan", "build one with fsview.Build")
	}
	if err := in.Plan.Validate(); err != nil {
		return fmt.Errorf("firejail: invalid plan: %w", err)
	}
	return nil
}

func (in Input) checkArgv() error {
	if len(in.Argv) == 0 {
		return inputErr("Argv", "empty payload argv", "give at least the program to run")
	}
	if !filepath.IsAbs(in.Argv[0]) {
		return inputErr("Argv[0]", fmt.Sprintf("%q is not an absolute path", in.Argv[0]), "")
	}
	return checkNoNUL("Argv", in.Argv...)
}

func (in Input) checkEnv() error {
	for _, kv := range in.Env {
		if name, _, ok := strings.Cut(kv, "="); !ok || name == "" {
			return inputErr("Env", fmt.Sprintf("entry %q is not NAME=value", kv), "")
		}
	}
	return checkNoNUL("Env", in.Env...)
}

func (in Input) checkRoot() error {
	if len(in.Root) == 0 {
		return inputErr("Root", "no host top-level entries", "list them with ListRoot")
	}
	for _, e := range in.Root {
		if e.Name == "" || strings.Contains(e.Name, "/") || e.Name == "." || e.Name == ".." {
			return inputErr("Root", fmt.Sprintf("entry %q is not a file name", e.Name), "")
		}
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
	msg := "firejail: " + e.Field + ": " + e.Msg
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
	return checkProfileWord(field, p)
}

func checkNoNUL(field string, values ...string) error {
	for _, v := range values {
		if strings.IndexByte(v, 0) >= 0 {
			return inputErr(field, fmt.Sprintf("%q contains a NUL byte", v), "")
		}
	}
	return nil
}

// checkProfileWord refuses what would change the meaning of a profile
// line: control characters (a newline would start a new command),
// firejail's glob characters and ${...} macros (they would widen a
// whitelist), and a leading "~" (the home macro).
func checkProfileWord(field, s string) error {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return inputErr(field, fmt.Sprintf("%q contains a control character", s), "")
		}
	}
	if strings.ContainsAny(s, "*?[]") || strings.Contains(s, "${") || strings.HasPrefix(s, "~") {
		return inputErr(field, fmt.Sprintf("%q contains a character firejail expands (*, ?, [, ], ${, ~)", s),
			"firejail would read it as a pattern or macro and widen the view: rename the path")
	}
	return nil
}
