// Package build builds the embedded stage program reproducibly.
package build

import (
	"fmt"
	"os"
	"os/exec"
)

// Arches are the architectures procjail embeds a stage program for.
var Arches = []string{"amd64", "arm64"}

// FileName is the embedded program's file name for arch.
func FileName(arch string) string { return "stage-linux-" + arch }

// Stage builds the stage program for linux/arch into out. It must run
// with the internal/stagebin directory as working directory.
func Stage(arch, out string) error {
	cmd := exec.Command("go", "build", "-trimpath", "-buildvcs=false",
		"-ldflags=-s -w -buildid=", "-o", out, "./stage")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+arch,
		"GOAMD64=v1", "GOARM64=v8.0", "GOFLAGS=", "GOEXPERIMENT=")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("build stage for %s: %w", arch, err)
	}
	return nil
}
