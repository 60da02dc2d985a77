package procjail

import (
	"fmt"
	"math"
	"time"
)

// Builder is a fluent way to make a Config, with every method of the
// original's SandboxConfigBuilder. It starts from DefaultConfig; Build
// validates. Methods that take a list replace it (RuntimeArgs,
// EnvPassthrough) or add to it (EnvStrip, EnvSet, the mounts), as in the
// original.
type Builder struct {
	cfg Config
	err error
}

// NewBuilder starts from DefaultConfig.
func NewBuilder() *Builder { return &Builder{cfg: DefaultConfig()} }

// Runtime sets the runtime (a PATH name or an absolute path).
func (b *Builder) Runtime(r string) *Builder { b.cfg.Runtime = r; return b }

// RuntimeArgs replaces the runtime's arguments.
func (b *Builder) RuntimeArgs(args ...string) *Builder {
	b.cfg.RuntimeArgs = append([]string(nil), args...)
	return b
}

// MaxMemoryMB sets the memory limit in MiB.
func (b *Builder) MaxMemoryMB(mb uint64) *Builder {
	b.cfg.MaxMemoryBytes = b.mib("max_memory_bytes", mb)
	return b
}

// MaxMemoryBytes sets the memory limit in bytes.
func (b *Builder) MaxMemoryBytes(n uint64) *Builder { b.cfg.MaxMemoryBytes = n; return b }

// MaxCPUSeconds sets the CPU time limit.
func (b *Builder) MaxCPUSeconds(s uint64) *Builder { b.cfg.MaxCPUSeconds = s; return b }

// MaxFDs sets the file descriptor limit.
func (b *Builder) MaxFDs(n uint64) *Builder { b.cfg.MaxFDs = n; return b }

// MaxProcesses sets the process limit.
func (b *Builder) MaxProcesses(n uint64) *Builder { b.cfg.MaxProcesses = n; return b }

// MaxDiskMB sets the disk limit in MiB.
func (b *Builder) MaxDiskMB(mb uint64) *Builder {
	b.cfg.MaxDiskBytes = b.mib("max_disk_bytes", mb)
	return b
}

// MaxDiskBytes sets the disk limit in bytes.
func (b *Builder) MaxDiskBytes(n uint64) *Builder { b.cfg.MaxDiskBytes = n; return b }

// AllowLocalhost lets the sandbox reach the host's loopback services.
func (b *Builder) AllowLocalhost(v bool) *Builder { b.cfg.AllowLocalhost = v; return b }

// AllowLocalhostPorts sets the host loopback ports the sandbox may reach.
func (b *Builder) AllowLocalhostPorts(ports ...uint16) *Builder {
	b.cfg.AllowLocalhostPorts = append([]uint16(nil), ports...)
	return b
}

// EnvPassthrough replaces the allowlist of variable names.
func (b *Builder) EnvPassthrough(names ...string) *Builder {
	b.cfg.EnvPassthrough = append([]string(nil), names...)
	return b
}

// EnvSet adds one variable (the last value for a name wins).
func (b *Builder) EnvSet(name, value string) *Builder {
	if b.cfg.EnvSet == nil {
		b.cfg.EnvSet = map[string]string{}
	}
	b.cfg.EnvSet[name] = value
	return b
}

// EnvStripSecrets turns the built-in secret rules on or off.
func (b *Builder) EnvStripSecrets(v bool) *Builder { b.cfg.EnvStripSecrets = v; return b }

// EnvStrip adds names (or globs) to remove.
func (b *Builder) EnvStrip(names ...string) *Builder {
	b.cfg.EnvStrip = append(b.cfg.EnvStrip, names...)
	return b
}

// EnvMode sets the environment mode.
func (b *Builder) EnvMode(m EnvMode) *Builder { b.cfg.EnvMode = m; return b }

// Strategy forces a strategy.
func (b *Builder) Strategy(s Strategy) *Builder { b.cfg.Strategy = s; return b }

// Require adds required containment.
func (b *Builder) Require(r ...Requirement) *Builder {
	b.cfg.Require = append(b.cfg.Require, r...)
	return b
}

// ReadOnlyMount adds a read-only mount of host at sandbox ("" = same path).
func (b *Builder) ReadOnlyMount(host, sandbox string) *Builder {
	b.cfg.ReadOnlyMounts = append(b.cfg.ReadOnlyMounts, Mount{Host: host, Sandbox: sandbox})
	return b
}

// WritableMount adds a writable mount of host at sandbox ("" = same path).
func (b *Builder) WritableMount(host, sandbox string) *Builder {
	b.cfg.WritableMounts = append(b.cfg.WritableMounts, Mount{Host: host, Sandbox: sandbox})
	return b
}

// WritableWorkDir makes the work dir writable.
func (b *Builder) WritableWorkDir(v bool) *Builder { b.cfg.WritableWorkDir = v; return b }

// TimeoutSeconds sets the wall-clock timeout (0 = none).
func (b *Builder) TimeoutSeconds(s uint64) *Builder {
	if s > uint64(math.MaxInt64/int64(time.Second)) {
		b.fail("timeout", fmt.Sprintf("%d seconds overflows", s))
		return b
	}
	b.cfg.Timeout = time.Duration(s) * time.Second
	return b
}

// Timeout sets the wall-clock timeout (0 = none).
func (b *Builder) Timeout(d time.Duration) *Builder { b.cfg.Timeout = d; return b }

// CaptureStderr keeps stderr in a bounded buffer instead of passing it
// through.
func (b *Builder) CaptureStderr(v bool) *Builder { b.cfg.CaptureStderr = v; return b }

// MaxLineBytes sets the longest line Recv accepts.
func (b *Builder) MaxLineBytes(n int) *Builder { b.cfg.MaxLineBytes = n; return b }

// Build validates and returns the Config.
func (b *Builder) Build() (Config, error) {
	if b.err != nil {
		return Config{}, b.err
	}
	if err := b.cfg.Validate(); err != nil {
		return Config{}, err
	}
	return b.cfg, nil
}

func (b *Builder) mib(field string, mb uint64) uint64 {
	if mb > math.MaxUint64/MiB {
		b.fail(field, fmt.Sprintf("%d MiB overflows 64 bits", mb))
		return 0
	}
	return mb * MiB
}

func (b *Builder) fail(field, detail string) {
	if b.err == nil {
		b.err = configError(field, detail, "use a smaller value")
	}
}
