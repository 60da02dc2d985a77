//go:build linux && (amd64 || arm64)

package seccomp

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestEncodeDecodeDefaultProgram(t *testing.T) {
	prog := mustCompile(t, DefaultRules(), Allow)
	b := Encode(prog)
	if len(b) != 8*len(prog) {
		t.Fatalf("Encode gave %d bytes for %d instructions", len(b), len(prog))
	}
	back, err := Decode(b)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if diff := cmp.Diff(prog, back); diff != "" {
		t.Fatalf("Decode(Encode(p)) differs (-want +got):\n%s", diff)
	}
}
