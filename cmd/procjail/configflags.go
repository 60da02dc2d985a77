package main

import (
	"github.com/spf13/pflag"

	"github.com/procjail/procjail"
)

// configFlags binds the flags that mirror Config fields. Their values live
// in cfg (defaults from DefaultConfig); resolve lays the flags the user
// set over the --config file (or the defaults).
type configFlags struct {
	cfg  procjail.Config
	file string
}

func newConfigFlags() *configFlags { return &configFlags{cfg: procjail.DefaultConfig()} }

// copyField copies one Config field, the one a flag sets, from src to dst.
type copyField func(dst, src *procjail.Config)

// fieldOfFlag maps each config flag to the field it sets.
var fieldOfFlag = map[string]copyField{
	"max-memory-bytes":      func(d, s *procjail.Config) { d.MaxMemoryBytes = s.MaxMemoryBytes },
	"max-cpu-seconds":       func(d, s *procjail.Config) { d.MaxCPUSeconds = s.MaxCPUSeconds },
	"max-fds":               func(d, s *procjail.Config) { d.MaxFDs = s.MaxFDs },
	"max-processes":         func(d, s *procjail.Config) { d.MaxProcesses = s.MaxProcesses },
	"max-disk-bytes":        func(d, s *procjail.Config) { d.MaxDiskBytes = s.MaxDiskBytes },
	"allow-localhost":       func(d, s *procjail.Config) { d.AllowLocalhost = s.AllowLocalhost },
	"allow-localhost-ports": func(d, s *procjail.Config) { d.AllowLocalhostPorts = s.AllowLocalhostPorts },
	"env-mode":              func(d, s *procjail.Config) { d.EnvMode = s.EnvMode },
	"env-passthrough":       func(d, s *procjail.Config) { d.EnvPassthrough = s.EnvPassthrough },
	"env-set":               func(d, s *procjail.Config) { d.EnvSet = s.EnvSet },
	"env-strip":             func(d, s *procjail.Config) { d.EnvStrip = s.EnvStrip },
	"env-strip-secrets":     func(d, s *procjail.Config) { d.EnvStripSecrets = s.EnvStripSecrets },
	"strategy":              func(d, s *procjail.Config) { d.Strategy = s.Strategy },
	"require":               func(d, s *procjail.Config) { d.Require = s.Require },
	"ro-mount":              func(d, s *procjail.Config) { d.ReadOnlyMounts = s.ReadOnlyMounts },
	"rw-mount":              func(d, s *procjail.Config) { d.WritableMounts = s.WritableMounts },
	"writable-work-dir":     func(d, s *procjail.Config) { d.WritableWorkDir = s.WritableWorkDir },
	"timeout":               func(d, s *procjail.Config) { d.Timeout = s.Timeout },
	"capture-stderr":        func(d, s *procjail.Config) { d.CaptureStderr = s.CaptureStderr },
	"stderr-limit-bytes":    func(d, s *procjail.Config) { d.StderrLimitBytes = s.StderrLimitBytes },
	"max-line-bytes":        func(d, s *procjail.Config) { d.MaxLineBytes = s.MaxLineBytes },
}

// resolve returns the --config file's settings (or the defaults) with
// every flag the user set on top. The result is not validated.
func (f *configFlags) resolve(fs *pflag.FlagSet) (procjail.Config, error) {
	cfg := procjail.DefaultConfig()
	if f.file != "" {
		var err error
		if cfg, err = procjail.LoadConfig(f.file); err != nil {
			return procjail.Config{}, err
		}
	}
	for name, copyIt := range fieldOfFlag {
		if fs.Changed(name) {
			copyIt(&cfg, &f.cfg)
		}
	}
	return cfg, nil
}

func (f *configFlags) addFile(fs *pflag.FlagSet) {
	fs.StringVar(&f.file, "config", "", "TOML config file (keys as the flags, with '_': max_memory_bytes = 268435456); flags given explicitly override it")
}

// addAll registers every config flag (run).
func (f *configFlags) addAll(fs *pflag.FlagSet) {
	f.addFile(fs)
	f.addLimits(fs)
	f.addStrategy(fs)
	f.addFilesystem(fs)
	f.addEnv(fs)
	f.addIO(fs)
}

func (f *configFlags) addLimits(fs *pflag.FlagSet) {
	c := &f.cfg
	fs.Var(sizeValue{&c.MaxMemoryBytes}, "max-memory-bytes", "memory limit, bytes or with a unit (256M, 1G)")
	fs.Uint64Var(&c.MaxCPUSeconds, "max-cpu-seconds", c.MaxCPUSeconds, "CPU time limit (user+system), in seconds")
	fs.Uint64Var(&c.MaxFDs, "max-fds", c.MaxFDs, "open file descriptors per process")
	fs.Uint64Var(&c.MaxProcesses, "max-processes", c.MaxProcesses, "processes and threads")
	fs.Var(sizeValue{&c.MaxDiskBytes}, "max-disk-bytes", "size of the private /tmp and of any one file written (50M, 1G)")
	fs.DurationVar(&c.Timeout, "timeout", c.Timeout, "wall-clock limit; the whole tree is killed when it expires (0 = none)")
}

func (f *configFlags) addStrategy(fs *pflag.FlagSet) {
	c := &f.cfg
	fs.Var(&c.Strategy, "strategy", "how to build the sandbox: auto, unshare, bubblewrap, firejail or rlimits")
	fs.Var(requireValue{&c.Require}, "require", "fail (exit 126) unless this containment is enforced; repeatable or comma-separated: "+requirementList())
	fs.BoolVar(&c.AllowLocalhost, "allow-localhost", c.AllowLocalhost, "let the sandbox reach the host's loopback services on --allow-localhost-ports (nothing else)")
	fs.Var(portsValue{&c.AllowLocalhostPorts}, "allow-localhost-ports", "host loopback ports the sandbox may reach with --allow-localhost; repeatable or comma-separated")
}

func (f *configFlags) addFilesystem(fs *pflag.FlagSet) {
	c := &f.cfg
	fs.Var(mountsValue{&c.ReadOnlyMounts}, "ro-mount", "expose a host path read-only, at SANDBOX (default: the same path); repeatable")
	fs.Var(mountsValue{&c.WritableMounts}, "rw-mount", "expose a host path writable, at SANDBOX (default: the same path); repeatable")
	fs.BoolVar(&c.WritableWorkDir, "writable-work-dir", c.WritableWorkDir, "make the work dir writable (it is read-only otherwise)")
}

// addEnv registers the environment flags (run and env).
func (f *configFlags) addEnv(fs *pflag.FlagSet) {
	c := &f.cfg
	fs.Var(&c.EnvMode, "env-mode", "base environment: strip-secrets (all but secrets), allowlist (only --env-passthrough) or blocklist (all but --env-strip; needs --env-strip-secrets=false)")
	fs.StringSliceVar(&c.EnvPassthrough, "env-passthrough", nil, "variables kept in allowlist mode; repeatable or comma-separated")
	fs.Var(envSetValue{&c.EnvSet}, "env-set", "set a variable in the sandbox (applied last); repeatable")
	fs.StringSliceVar(&c.EnvStrip, "env-strip", nil, "more variables to remove (shell globs: 'MYCO_*'); repeatable or comma-separated")
	fs.BoolVar(&c.EnvStripSecrets, "env-strip-secrets", c.EnvStripSecrets, "apply the built-in secret rules (tokens, keys, credentials in URLs)")
}

func (f *configFlags) addIO(fs *pflag.FlagSet) {
	c := &f.cfg
	fs.BoolVar(&c.CaptureStderr, "capture-stderr", c.CaptureStderr, "keep the command's stderr (bounded) for the --report instead of passing it through")
	fs.Var(intSizeValue{&c.StderrLimitBytes}, "stderr-limit-bytes", "bound on the captured stderr (head and tail kept)")
	fs.Var(intSizeValue{&c.MaxLineBytes}, "max-line-bytes", "longest line of the line channel (library use; run passes stdio through)")
}
