package main

import (
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// version is procjail's release version.
const version = "0.1.0-dev"

func (a *app) versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print procjail's version",
		Long:  "Print procjail's version, and the module version and source revision it was built from when the build recorded them.",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintln(a.stdout, versionString())
			return err
		},
	}
}

// versionString is "procjail 0.1.0-dev (module v…, revision …, go1.x)".
func versionString() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "procjail " + version
	}
	var parts []string
	if v := info.Main.Version; v != "" && v != "(devel)" {
		parts = append(parts, "module "+v)
	}
	if rev := buildSetting(info, "vcs.revision"); rev != "" {
		if buildSetting(info, "vcs.modified") == "true" {
			rev += "+modified"
		}
		parts = append(parts, "revision "+rev)
	}
	parts = append(parts, info.GoVersion)
	return "procjail " + version + " (" + strings.Join(parts, ", ") + ")"
}

func buildSetting(info *debug.BuildInfo, key string) string {
	for _, s := range info.Settings {
		if s.Key == key {
			return s.Value
		}
	}
	return ""
}
