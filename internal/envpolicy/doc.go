// Package envpolicy computes, from scratch, the environment a sandboxed
// process receives.
//
// The caller's environment is an input (a []string of "NAME=value", normally
// os.Environ()); nothing here reads or changes the process environment, and
// nothing makes a system call. [Build] returns the new environment sorted by
// name, and [Explain] says for every name why it is kept or dropped, without
// ever including a value.
//
// # Modes
//
// Every mode drops loader-injection variables ([LoaderInjection]: LD_PRELOAD,
// NODE_OPTIONS, PYTHONPATH, BASH_ENV...) inherited from the caller, and every
// mode adds the [Policy.Set] variables last. Set is the only way a
// loader-injection variable reaches the sandbox.
//
//   - "strip-secrets" ([ModeStripSecrets], the default; also the meaning of
//     the empty Mode): start from the caller's whole environment and drop
//     every secret ([SecretRule], by name or by value), every name matching
//     [Policy.Strip] and every loader-injection variable. The secret rules
//     are part of the mode, so StripSecrets=false is a [Policy.Validate]
//     error here.
//   - "allowlist" ([ModeAllowlist]): start from nothing; keep only the
//     [Policy.Passthrough] names that are present in the caller's
//     environment, do not match Strip and, when StripSecrets is on, are not
//     secrets. A Passthrough name that is a secret by name (when
//     StripSecrets) or a loader-injection variable is a Validate error. A
//     passed-through variable whose value is a secret (a URL with a
//     password, a token) is dropped by Build and explained by Explain.
//   - "blocklist" ([ModeBlocklist]): start from the caller's whole
//     environment and drop only the names matching Strip and the
//     loader-injection variables. The built-in secret rules are off, and the
//     policy must say so with StripSecrets=false (Validate rejects
//     StripSecrets=true), so weakening the defaults takes two explicit
//     settings.
//
// Passthrough is redundant outside allowlist mode (everything not dropped is
// inherited anyway), but its names are validated the same way in every mode:
// a Passthrough entry that could never take effect is a mistake worth
// reporting.
//
// # Set
//
// Set variables are added last and override any inherited value, including
// one that matched Strip. When StripSecrets is on, a Set name that is a
// secret by name, or a Set value that looks like a secret, is a Validate
// error (never a silent skip). Names must be non-empty and contain no '=',
// NUL or white space; values must contain no NUL and be at most
// [MaxValueBytes] bytes long.
//
// # Matching
//
// Secret and loader rules compare names ASCII case-insensitively: a program
// may read either spelling (npm reads npm_config_* and NPM_CONFIG_*), and
// dropping too much is the safe error. Strip patterns are matched the same
// way and may use the shell wildcards '*' (any run of bytes) and '?' (one
// byte). Passthrough and Set names are exact.
//
// # The caller's environment
//
// Entries without '=', with an empty name, or containing a NUL byte (which
// execve cannot pass) are dropped. When a name appears more than once the
// last entry wins, as in os/exec. Names and values are otherwise kept byte
// for byte, including bytes that are not valid UTF-8.
//
// # Errors
//
// [Policy.Validate] returns every problem it finds, joined; each is a
// *[PolicyError] naming the configuration field (env_mode, env_passthrough,
// env_set, env_strip, env_strip_secrets) and the offending name, never a
// value.
package envpolicy
