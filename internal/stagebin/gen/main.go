// Command gen builds the stage program for every architecture procjail
// embeds it for. Run it with `go generate ./internal/stagebin`; the build
// is reproducible (trimmed paths, no build id, no VCS stamp), and a test
// checks that the embedded programs match the sources.
package main

import (
	"fmt"
	"os"

	"github.com/procjail/procjail/internal/stagebin/build"
)

func main() {
	for _, arch := range build.Arches {
		if err := build.Stage(arch, build.FileName(arch)); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
	}
}
