package procjail

import (
	"fmt"
	"strings"
)

// EnvMode says which of the caller's environment variables a sandbox starts
// from. The environment is always built from scratch at exec time; procjail
// never edits its own environment. Three rules hold in every mode:
// loader-injection variables (LD_PRELOAD, NODE_OPTIONS, PYTHONSTARTUP, …) are
// dropped unless set explicitly with EnvSet; EnvSet is applied last; and
// with EnvStripSecrets on, no secret (by name, by pattern or by value, such
// as credentials embedded in a proxy URL) ever reaches the sandbox.
type EnvMode int

const (
	// EnvStripSecrets (the default) starts from the caller's whole
	// environment and removes every secret and every name in EnvStrip.
	// It requires EnvStripSecrets = true.
	EnvStripSecrets EnvMode = iota
	// EnvAllowlist starts from nothing and keeps only the names in
	// EnvPassthrough. A passthrough name that is a secret is a config
	// error; a passthrough value that is a secret is dropped.
	EnvAllowlist
	// EnvBlocklist starts from the caller's whole environment and removes
	// only the names in EnvStrip (shell globs allowed): the built-in
	// secret rules are off. Because that weakens the sandbox, it requires
	// EnvStripSecrets = false, set explicitly.
	EnvBlocklist
)

var envModeNames = [...]string{
	EnvStripSecrets: "strip-secrets",
	EnvAllowlist:    "allowlist",
	EnvBlocklist:    "blocklist",
}

// String returns the mode's canonical name.
func (m EnvMode) String() string {
	if m < 0 || int(m) >= len(envModeNames) {
		return fmt.Sprintf("envmode(%d)", int(m))
	}
	return envModeNames[m]
}

// ParseEnvMode parses a canonical mode name.
func ParseEnvMode(name string) (EnvMode, error) {
	for i, n := range envModeNames {
		if name == n {
			return EnvMode(i), nil
		}
	}
	return EnvStripSecrets, &Error{Op: "config", Field: "env_mode", Err: ErrInvalidConfig,
		Detail: fmt.Sprintf("unknown env mode %q", name),
		Hint:   "use one of " + strings.Join(envModeNames[:], ", ")}
}

// MarshalText implements encoding.TextMarshaler.
func (m EnvMode) MarshalText() ([]byte, error) {
	if m < 0 || int(m) >= len(envModeNames) {
		return nil, fmt.Errorf("procjail: invalid env mode %d", int(m))
	}
	return []byte(m.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (m *EnvMode) UnmarshalText(b []byte) error {
	v, err := ParseEnvMode(string(b))
	if err == nil {
		*m = v
	}
	return err
}

// Set implements pflag.Value.
func (m *EnvMode) Set(v string) error { return m.UnmarshalText([]byte(v)) }

// Type implements pflag.Value.
func (m *EnvMode) Type() string { return "envmode" }
