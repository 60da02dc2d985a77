package procjail

import (
	"fmt"
	"github.com/procjail/procjail/internal/netfwd"
	"path/filepath"
	"strings"
	"time"
)

// Size units for the byte fields of Config.
const (
	KiB uint64 = 1 << 10
	MiB uint64 = 1 << 20
	GiB uint64 = 1 << 30
)

// Defaults, as in the original procjail.
const (
	DefaultRuntime        = "node"
	DefaultMaxMemoryBytes = 256 * MiB
	DefaultMaxCPUSeconds  = 30
	DefaultMaxFDs         = 64
	DefaultMaxProcesses   = 32
	DefaultMaxDiskBytes   = 50 * MiB
	DefaultTimeout        = 60 * time.Second
	DefaultMaxLineBytes   = 1 << 20
	DefaultStderrLimit    = 256 << 10
)

// Mount is a host path made visible inside the sandbox. Sandbox defaults to
// Host. Both must be absolute and clean; Host must exist.
type Mount struct {
	Host    string `toml:"host" json:"host"`
	Sandbox string `toml:"sandbox,omitempty" json:"sandbox,omitempty"`
}

// Config is the whole description of a sandbox: plain data, serialisable to
// TOML and JSON. Start from DefaultConfig (the zero Config is not valid: its
// limits are 0) and check it with Validate; Spawn validates it again.
type Config struct {
	// Runtime is the interpreter or binary to run: a name looked up in the
	// caller's PATH ("node", "python3", "sh") or an absolute path.
	Runtime string `toml:"runtime_path" json:"runtime_path"`
	// RuntimeArgs go after Runtime and before the harness path.
	RuntimeArgs []string `toml:"runtime_args,omitempty" json:"runtime_args,omitempty"`

	// MaxMemoryBytes bounds the sandbox's memory: the whole tree's resident
	// memory (swap off) where a cgroup is available, else each process's
	// data segment (RLIMIT_DATA; never the address space, which breaks V8).
	MaxMemoryBytes uint64 `toml:"max_memory_bytes" json:"max_memory_bytes"`
	// MaxCPUSeconds bounds CPU time (user+system): the whole tree's with a
	// cgroup, else each process's (RLIMIT_CPU).
	MaxCPUSeconds uint64 `toml:"max_cpu_seconds" json:"max_cpu_seconds"`
	// MaxFDs bounds open file descriptors per process (RLIMIT_NOFILE).
	MaxFDs uint64 `toml:"max_fds" json:"max_fds"`
	// MaxProcesses bounds the number of processes and threads.
	MaxProcesses uint64 `toml:"max_processes" json:"max_processes"`
	// MaxDiskBytes bounds what the sandbox can write: the size of its
	// private /tmp where it has one, and the size of any one file
	// (RLIMIT_FSIZE) everywhere.
	MaxDiskBytes uint64 `toml:"max_disk_bytes" json:"max_disk_bytes"`

	// AllowLocalhost lets the sandbox reach the host's loopback services
	// (and nothing else). False gives it a network namespace of its own
	// with only loopback.
	AllowLocalhost bool `toml:"allow_localhost" json:"allow_localhost"`
	// AllowLocalhostPorts lists the host loopback ports the sandbox may
	// connect to (TCP and UDP, on 127.0.0.1 and [::1]) when AllowLocalhost
	// is set. It must not be empty then: list the ports the harness needs.
	AllowLocalhostPorts []uint16 `toml:"allow_localhost_ports,omitempty" json:"allow_localhost_ports,omitempty"`

	// EnvMode picks the base environment; see EnvMode.
	EnvMode EnvMode `toml:"env_mode" json:"env_mode"`
	// EnvPassthrough names the variables EnvAllowlist keeps.
	EnvPassthrough []string `toml:"env_passthrough,omitempty" json:"env_passthrough,omitempty"`
	// EnvSet adds variables, last. Setting a secret name is an error.
	EnvSet map[string]string `toml:"env_set,omitempty" json:"env_set,omitempty"`
	// EnvStrip names more variables to remove (shell globs allowed).
	EnvStrip []string `toml:"env_strip,omitempty" json:"env_strip,omitempty"`
	// EnvStripSecrets applies the built-in secret rules (on by default).
	EnvStripSecrets bool `toml:"env_strip_secrets" json:"env_strip_secrets"`

	// Strategy forces a strategy; Auto picks the strongest available.
	Strategy Strategy `toml:"strategy" json:"strategy"`
	// Require lists containment the caller demands: Spawn fails closed if
	// the chosen strategy on this host cannot enforce each of them.
	Require []Requirement `toml:"require,omitempty" json:"require,omitempty"`

	// ReadOnlyMounts and WritableMounts expose host paths inside the
	// sandbox (strategies with a filesystem view).
	ReadOnlyMounts []Mount `toml:"readonly_mounts,omitempty" json:"readonly_mounts,omitempty"`
	WritableMounts []Mount `toml:"writable_mounts,omitempty" json:"writable_mounts,omitempty"`
	// WritableWorkDir makes the work dir writable; it is read-only
	// otherwise.
	WritableWorkDir bool `toml:"writable_work_dir" json:"writable_work_dir"`

	// Timeout bounds the sandbox's wall-clock lifetime, from Spawn to exit;
	// the whole tree is killed when it expires, also while the caller is
	// blocked in Wait or Recv. Zero means no limit. In TOML: "30s", "2m".
	Timeout time.Duration `toml:"timeout" json:"timeout"`

	// CaptureStderr keeps the child's stderr in a bounded buffer (see
	// Process.Stderr); false passes it through to the caller's stderr.
	// Either way it is drained continuously.
	CaptureStderr bool `toml:"capture_stderr" json:"capture_stderr"`
	// StderrLimitBytes bounds the captured stderr (head and tail kept).
	StderrLimitBytes int `toml:"stderr_limit_bytes" json:"stderr_limit_bytes"`
	// MaxLineBytes bounds one line read by Recv.
	MaxLineBytes int `toml:"max_line_bytes" json:"max_line_bytes"`
}

// DefaultConfig returns the original procjail's defaults: node, 256 MiB,
// 30 CPU seconds, 64 fds, 32 processes, 50 MiB of disk, no network, secrets
// stripped, a 60 s timeout, auto strategy.
func DefaultConfig() Config {
	return Config{
		Runtime:          DefaultRuntime,
		MaxMemoryBytes:   DefaultMaxMemoryBytes,
		MaxCPUSeconds:    DefaultMaxCPUSeconds,
		MaxFDs:           DefaultMaxFDs,
		MaxProcesses:     DefaultMaxProcesses,
		MaxDiskBytes:     DefaultMaxDiskBytes,
		EnvMode:          EnvStripSecrets,
		EnvStripSecrets:  true,
		Timeout:          DefaultTimeout,
		StderrLimitBytes: DefaultStderrLimit,
		MaxLineBytes:     DefaultMaxLineBytes,
	}
}

// bound is the accepted range of a numeric field.
type bound struct {
	field    string
	val, min uint64
	max      uint64
	example  string
}

func (c *Config) bounds() []bound {
	return []bound{
		{"max_memory_bytes", c.MaxMemoryBytes, 16 * MiB, 1 << 44, "268435456 (256 MiB)"},
		{"max_cpu_seconds", c.MaxCPUSeconds, 1, 1 << 31, "30"},
		{"max_fds", c.MaxFDs, 8, 1 << 20, "64"},
		{"max_processes", c.MaxProcesses, 1, 1 << 22, "32"},
		{"max_disk_bytes", c.MaxDiskBytes, 1 * MiB, 1 << 44, "52428800 (50 MiB)"},
		{"max_line_bytes", uint64(max(c.MaxLineBytes, 0)), 64, 1 << 30, "1048576"},
		{"stderr_limit_bytes", uint64(max(c.StderrLimitBytes, 0)), 1024, 1 << 30, "262144"},
	}
}

// Validate checks every field. The error is an *Error wrapping
// ErrInvalidConfig that names the field and says how to fix it.
func (c *Config) Validate() error {
	if strings.TrimSpace(c.Runtime) == "" || strings.ContainsRune(c.Runtime, 0) {
		return configError("runtime_path", "empty or contains NUL",
			`set it to a runtime name such as "node" or an absolute path`)
	}
	for _, b := range c.bounds() {
		if b.val < b.min || b.val > b.max {
			return configError(b.field, fmt.Sprintf("%d is outside [%d, %d]", b.val, b.min, b.max),
				"set it to a value in range, e.g. "+b.example)
		}
	}
	if err := c.validateMisc(); err != nil {
		return err
	}
	if err := c.validateMounts(); err != nil {
		return err
	}
	return c.validateEnv()
}

func (c *Config) validateMisc() error {
	if c.Timeout < 0 || c.Timeout > 365*24*time.Hour {
		return configError("timeout", c.Timeout.String()+" is negative or over a year",
			`use a duration such as "60s"; 0 means no timeout`)
	}
	for _, a := range c.RuntimeArgs {
		if strings.ContainsRune(a, 0) {
			return configError("runtime_args", fmt.Sprintf("%q contains NUL", a), "remove the NUL byte")
		}
	}
	if c.Strategy < Auto || c.Strategy > Rlimits {
		return configError("strategy", c.Strategy.String(), "use auto, unshare, bubblewrap, firejail or rlimits")
	}
	if c.EnvMode < EnvStripSecrets || c.EnvMode > EnvBlocklist {
		return configError("env_mode", c.EnvMode.String(), "use strip-secrets, allowlist or blocklist")
	}
	if err := c.validatePorts(); err != nil {
		return err
	}
	for _, r := range c.Require {
		if !r.valid() {
			return configError("require", fmt.Sprintf("unknown requirement %q", string(r)),
				"use any of "+strings.Join(requirementNames(), ", "))
		}
	}
	return nil
}

func (c *Config) validateMounts() error {
	for _, set := range []struct {
		field string
		ms    []Mount
	}{{"readonly_mounts", c.ReadOnlyMounts}, {"writable_mounts", c.WritableMounts}} {
		for _, m := range set.ms {
			if err := checkMountPath(set.field, "host", m.Host); err != nil {
				return err
			}
			if m.Sandbox != "" {
				if err := checkMountPath(set.field, "sandbox", m.Sandbox); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func checkMountPath(field, side, p string) error {
	switch {
	case !filepath.IsAbs(p):
		return configError(field, fmt.Sprintf("%s path %q is not absolute", side, p), "use an absolute path")
	case filepath.Clean(p) != p || strings.Contains(p, ".."):
		return configError(field, fmt.Sprintf("%s path %q is not clean", side, p),
			"write it without '..', '//' or a trailing '/': "+filepath.Clean(p))
	case strings.ContainsRune(p, 0):
		return configError(field, fmt.Sprintf("%s path contains NUL", side), "remove the NUL byte")
	}
	return nil
}

func (c *Config) validatePorts() error {
	switch {
	case !c.AllowLocalhost && len(c.AllowLocalhostPorts) > 0:
		return configError("allow_localhost_ports", "ports listed but allow_localhost is false",
			"set allow_localhost = true, or remove the ports")
	case c.AllowLocalhost:
		if err := netfwd.ValidatePorts(c.AllowLocalhostPorts); err != nil {
			return configError("allow_localhost_ports", err.Error(),
				"list the host loopback ports the harness needs, e.g. allow_localhost_ports = [8080]")
		}
	}
	return nil
}
