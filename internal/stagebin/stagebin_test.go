package stagebin_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/procjail/procjail/internal/stagebin/build"
	"github.com/procjail/procjail/internal/testutil"
)

// TestEmbeddedProgramsAreCurrent rebuilds the stage programs and compares
// them, byte for byte, with the embedded ones: a change to the stage's
// sources without `go generate ./internal/stagebin` fails here.
func TestEmbeddedProgramsAreCurrent(t *testing.T) {
	if testutil.Unprivileged() {
		testutil.Skip(t, testutil.NotForThisCaller, "go build", "the root run rebuilds the programs (needs a writable Go cache)")
	}
	if _, err := exec.LookPath("go"); err != nil {
		testutil.Skip(t, testutil.MissingFeature, "go toolchain", "needed to rebuild the stage programs")
	}
	dir := t.TempDir()
	for _, arch := range build.Arches {
		out := filepath.Join(dir, build.FileName(arch))
		if err := build.Stage(arch, out); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(build.FileName(arch))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run `go generate ./internal/stagebin` (built %d bytes, embedded %d)", build.FileName(arch), len(got), len(want))
		}
	}
}

func TestMain(m *testing.M) { testutil.Main(m) }
