package procjail_test

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/procjail/procjail"
)

func TestDefaultConfigIsValid(t *testing.T) {
	c := procjail.DefaultConfig()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestValidateNamesFieldAndFix(t *testing.T) {
	cases := []struct {
		field string
		mut   func(*procjail.Config)
	}{
		{"runtime_path", func(c *procjail.Config) { c.Runtime = "" }},
		{"max_memory_bytes", func(c *procjail.Config) { c.MaxMemoryBytes = 0 }},
		{"max_memory_bytes", func(c *procjail.Config) { c.MaxMemoryBytes = math.MaxUint64 }},
		{"max_cpu_seconds", func(c *procjail.Config) { c.MaxCPUSeconds = 0 }},
		{"max_fds", func(c *procjail.Config) { c.MaxFDs = 2 }},
		{"max_processes", func(c *procjail.Config) { c.MaxProcesses = 0 }},
		{"max_disk_bytes", func(c *procjail.Config) { c.MaxDiskBytes = 1 }},
		{"max_line_bytes", func(c *procjail.Config) { c.MaxLineBytes = -1 }},
		{"timeout", func(c *procjail.Config) { c.Timeout = -time.Second }},
		{"strategy", func(c *procjail.Config) { c.Strategy = 42 }},
		{"require", func(c *procjail.Config) { c.Require = []procjail.Requirement{"magic"} }},
		{"readonly_mounts", func(c *procjail.Config) { c.ReadOnlyMounts = []procjail.Mount{{Host: "relative"}} }},
		{"writable_mounts", func(c *procjail.Config) { c.WritableMounts = []procjail.Mount{{Host: "/a/../etc"}} }},
		{"env_set", func(c *procjail.Config) { c.EnvSet = map[string]string{"GITHUB_TOKEN": "x"} }},
		{"env_passthrough", func(c *procjail.Config) {
			c.EnvMode = procjail.EnvAllowlist
			c.EnvPassthrough = []string{"AWS_SECRET_ACCESS_KEY"}
		}},
		{"env_strip_secrets", func(c *procjail.Config) { c.EnvStripSecrets = false }},
		{"env_strip_secrets", func(c *procjail.Config) { c.EnvMode = procjail.EnvBlocklist }},
	}
	for _, tc := range cases {
		t.Run(tc.field, func(t *testing.T) {
			c := procjail.DefaultConfig()
			tc.mut(&c)
			err := c.Validate()
			if !errors.Is(err, procjail.ErrInvalidConfig) {
				t.Fatalf("Validate = %v, want ErrInvalidConfig", err)
			}
			if !strings.Contains(err.Error(), tc.field) {
				t.Fatalf("error %q does not name %s", err, tc.field)
			}
		})
	}
}

func TestBuilderOverflowAndValidation(t *testing.T) {
	if _, err := procjail.NewBuilder().MaxMemoryMB(math.MaxUint64).Build(); !errors.Is(err, procjail.ErrInvalidConfig) {
		t.Fatalf("overflowing MiB: %v", err)
	}
	if _, err := procjail.NewBuilder().TimeoutSeconds(math.MaxUint64).Build(); !errors.Is(err, procjail.ErrInvalidConfig) {
		t.Fatalf("overflowing timeout: %v", err)
	}
	c, err := procjail.NewBuilder().Runtime("python3").MaxMemoryMB(128).EnvStrip("A").EnvStrip("B").
		EnvSet("X", "1").ReadOnlyMount("/usr", "").Strategy(procjail.Rlimits).Build()
	if err != nil {
		t.Fatal(err)
	}
	if c.MaxMemoryBytes != 128<<20 || len(c.EnvStrip) != 2 || c.EnvSet["X"] != "1" || c.Strategy != procjail.Rlimits {
		t.Fatalf("builder produced %+v", c)
	}
}

func TestTOMLRoundTrip(t *testing.T) {
	c := procjail.DefaultConfig()
	c.Runtime = "/usr/bin/python3"
	c.RuntimeArgs = []string{"-I"}
	c.Strategy = procjail.Unshare
	c.EnvMode = procjail.EnvAllowlist
	c.EnvPassthrough = []string{"PATH", "LANG"}
	c.EnvSet = map[string]string{"NODE_ENV": "production"}
	c.ReadOnlyMounts = []procjail.Mount{{Host: "/opt/data", Sandbox: "/data"}}
	c.Require = []procjail.Requirement{procjail.RequireFilesystem, procjail.RequireNetwork}
	c.Timeout = 90 * time.Second
	b, err := c.EncodeTOML()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `timeout = "1m30s"`) || !strings.Contains(string(b), `strategy = "unshare"`) {
		t.Fatalf("TOML is not human-readable:\n%s", b)
	}
	path := filepath.Join(t.TempDir(), "c.toml")
	if err := procjail.SaveConfig(path, c); err != nil {
		t.Fatal(err)
	}
	got, err := procjail.LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(c, got); d != "" {
		t.Fatalf("round trip (-want +got):\n%s", d)
	}
}

func TestParseConfigErrors(t *testing.T) {
	cases := []struct{ name, toml, want string }{
		{"unknown key", `memroy_mb = 5`, "memroy_mb"},
		{"unknown nested key", "[[readonly_mounts]]\nhost = \"/usr\"\nsandbx = \"/x\"", "sandbx"},
		{"syntax", `runtime_path = `, "line 1"},
		{"type", `max_fds = "lots"`, "max_fds"},
		{"bad strategy", `strategy = "bwrap"`, "strategy"},
		{"bad duration", `timeout = "soon"`, "timeout"},
		{"invalid value", `max_processes = 0`, "max_processes"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := procjail.ParseConfig([]byte(tc.toml))
			if !errors.Is(err, procjail.ErrInvalidConfig) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("ParseConfig = %v, want ErrInvalidConfig mentioning %q", err, tc.want)
			}
		})
	}
	if _, err := procjail.LoadConfig("/nonexistent/procjail.toml"); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing file: %v", err)
	}
}

func TestStrategyAndEnvModeSpelling(t *testing.T) {
	for _, s := range append([]procjail.Strategy{procjail.Auto}, procjail.Strategies...) {
		got, err := procjail.ParseStrategy(s.String())
		if err != nil || got != s {
			t.Fatalf("ParseStrategy(%q) = %v, %v", s, got, err)
		}
	}
	for _, m := range []procjail.EnvMode{procjail.EnvStripSecrets, procjail.EnvAllowlist, procjail.EnvBlocklist} {
		got, err := procjail.ParseEnvMode(m.String())
		if err != nil || got != m {
			t.Fatalf("ParseEnvMode(%q) = %v, %v", m, got, err)
		}
	}
	if _, err := procjail.ParseStrategy("Bubblewrap"); err == nil {
		t.Fatal("a second spelling was accepted")
	}
}
