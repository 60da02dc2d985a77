package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/pflag"

	"github.com/procjail/procjail"
)

func parseConfigFlags(t *testing.T, args ...string) (procjail.Config, error) {
	t.Helper()
	f := newConfigFlags()
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	f.addAll(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return f.resolve(fs)
}

func TestEveryConfigFlagIsRegistered(t *testing.T) {
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	newConfigFlags().addAll(fs)
	for name := range fieldOfFlag {
		if fs.Lookup(name) == nil {
			t.Errorf("flag --%s has a field but is not registered", name)
		}
	}
}

func TestResolveDefaults(t *testing.T) {
	got, err := parseConfigFlags(t)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(procjail.DefaultConfig(), got); diff != "" {
		t.Errorf("no flags should give DefaultConfig (-want +got):\n%s", diff)
	}
}

func TestResolveFlags(t *testing.T) {
	got, err := parseConfigFlags(t,
		"--max-memory-bytes", "1G", "--max-cpu-seconds", "5", "--max-fds", "100", "--max-processes", "7",
		"--max-disk-bytes", "10M", "--allow-localhost", "--env-mode", "allowlist",
		"--env-passthrough", "PATH,HOME", "--env-passthrough", "LANG", "--env-set", "A=1", "--env-set", "B=2",
		"--env-strip", "MYCO_*", "--strategy", "rlimits", "--require", "fs,net", "--ro-mount", "/usr/share:/share",
		"--rw-mount", "/var/tmp", "--writable-work-dir", "--timeout", "2m", "--capture-stderr",
		"--stderr-limit-bytes", "64K", "--max-line-bytes", "4096")
	if err != nil {
		t.Fatal(err)
	}
	want := procjail.DefaultConfig()
	want.MaxMemoryBytes, want.MaxCPUSeconds, want.MaxFDs, want.MaxProcesses = 1<<30, 5, 100, 7
	want.MaxDiskBytes, want.AllowLocalhost, want.EnvMode = 10<<20, true, procjail.EnvAllowlist
	want.EnvPassthrough = []string{"PATH", "HOME", "LANG"}
	want.EnvSet = map[string]string{"A": "1", "B": "2"}
	want.EnvStrip, want.Strategy = []string{"MYCO_*"}, procjail.Rlimits
	want.Require = []procjail.Requirement{procjail.RequireFilesystem, procjail.RequireNetwork}
	want.ReadOnlyMounts = []procjail.Mount{{Host: "/usr/share", Sandbox: "/share"}}
	want.WritableMounts = []procjail.Mount{{Host: "/var/tmp"}}
	want.WritableWorkDir, want.Timeout, want.CaptureStderr = true, 2*time.Minute, true
	want.StderrLimitBytes, want.MaxLineBytes = 64<<10, 4096
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// Flags set explicitly override the file; flags left alone do not, even
// when their default differs from the file.
func TestResolveFileThenFlags(t *testing.T) {
	file := filepath.Join(t.TempDir(), "jail.toml")
	toml := "max_fds = 100\nmax_cpu_seconds = 9\nenv_strip_secrets = false\nenv_mode = \"blocklist\"\ntimeout = \"5s\"\n"
	if err := os.WriteFile(file, []byte(toml), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := parseConfigFlags(t, "--config", file, "--max-fds", "200", "--timeout", "0")
	if err != nil {
		t.Fatal(err)
	}
	want := procjail.DefaultConfig()
	want.MaxFDs, want.MaxCPUSeconds, want.Timeout = 200, 9, 0
	want.EnvStripSecrets, want.EnvMode = false, procjail.EnvBlocklist
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
