package envpolicy

// Mode says what the sandbox environment starts from. The package
// documentation describes each mode in full.
type Mode string

// The environment modes. The empty Mode means ModeStripSecrets.
const (
	// ModeStripSecrets inherits the caller's environment minus secrets,
	// Strip names and loader-injection variables. It is the default.
	ModeStripSecrets Mode = "strip-secrets"
	// ModeAllowlist starts empty and keeps only Passthrough names.
	ModeAllowlist Mode = "allowlist"
	// ModeBlocklist inherits the caller's environment minus Strip names and
	// loader-injection variables, with the built-in secret rules off.
	ModeBlocklist Mode = "blocklist"
)

// MaxValueBytes is the longest value Set may give a variable.
const MaxValueBytes = 32768

// Policy describes the environment a sandboxed process gets. Its zero value
// is not valid (StripSecrets is false, which the default mode forbids); start
// from [DefaultPolicy].
type Policy struct {
	// Mode selects the starting point; empty means ModeStripSecrets.
	Mode Mode
	// Passthrough lists exact variable names to take from the caller in
	// ModeAllowlist. In the other modes it is redundant but still validated.
	Passthrough []string
	// Set holds variables to add last, overriding inherited ones.
	Set map[string]string
	// Strip lists extra names to drop; '*' and '?' wildcards are allowed and
	// matching ignores ASCII case.
	Strip []string
	// StripSecrets applies the built-in secret rules. It must be true in
	// ModeStripSecrets and false in ModeBlocklist.
	StripSecrets bool
}

// DefaultPolicy returns the default policy: strip-secrets mode with the
// built-in secret rules on.
func DefaultPolicy() Policy {
	return Policy{Mode: ModeStripSecrets, StripSecrets: true}
}

// mode returns p.Mode with the empty value resolved to the default.
func (p Policy) mode() Mode {
	if p.Mode == "" {
		return ModeStripSecrets
	}
	return p.Mode
}
