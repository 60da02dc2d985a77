package main

import (
	"strings"
	"testing"
)

func TestVersion(t *testing.T) {
	r := runCLI(t, "", nil, "version")
	wantCode(t, r, 0)
	if !strings.HasPrefix(r.stdout, "procjail "+version+" (") {
		t.Fatalf("version output %q", r.stdout)
	}
}

func TestHelpDocumentsExitCodes(t *testing.T) {
	r := runCLI(t, "", nil, "run", "--help")
	wantCode(t, r, 0)
	for _, code := range []string{"124", "125", "126", "127", "128+N"} {
		if !strings.Contains(r.stdout, code) {
			t.Errorf("run --help does not document exit code %s", code)
		}
	}
}
