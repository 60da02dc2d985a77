//go:build linux && (amd64 || arm64)

package seccomp

import (
	"encoding/json"
	"os"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

func TestLookup(t *testing.T) {
	cases := []struct {
		name string
		nr   uint32
		ok   bool
	}{
		{"read", unix.SYS_READ, true},
		{"setsid", unix.SYS_SETSID, true},
		{"newfstatat", unix.SYS_NEWFSTATAT, true},
		{"ptrace", unix.SYS_PTRACE, true},
		{"no_such_call", 0, false},
		{"", 0, false},
	}
	for _, c := range cases {
		if nr, ok := Lookup(c.name); nr != c.nr || ok != c.ok {
			t.Errorf("Lookup(%q) = %d, %v; want %d, %v", c.name, nr, ok, c.nr, c.ok)
		}
	}
}

func init() {
	children["install-errors"] = installErrors
}

// installErrors tries Install where the kernel must refuse it (or, for a
// caller with CAP_SYS_ADMIN, accept it without no_new_privs) and prints the
// errors as JSON.
func installErrors() error {
	prog, err := Compile(DefaultRules(), Allow)
	if err != nil {
		return err
	}
	out := map[string]string{}
	out["empty"] = errText(Install(nil))
	runtime.LockOSThread() // the filter may be installed: keep it on this thread
	out["without no_new_privs"] = errText(Install(prog))
	if err := lockAndNoNewPrivs(); err != nil {
		return err
	}
	out["not a program"] = errText(Install([]SockFilter{{Code: 0xffff}}))
	out["no return"] = errText(Install(prog[:1]))
	return json.NewEncoder(os.Stdout).Encode(out)
}

func errText(err error) string {
	if err == nil {
		return "ok"
	}
	return err.Error()
}

func TestInstallErrors(t *testing.T) {
	c := startChild(t, "install-errors", nil)
	c.mustSucceed(t)
	var got map[string]string
	if err := json.Unmarshal([]byte(c.stdout), &got); err != nil {
		t.Fatalf("child output %q: %v", c.stdout, err)
	}
	want := map[string]string{
		"empty":                "the filter is empty",
		"without no_new_privs": "set no_new_privs first",
		"not a program":        "the kernel rejected the program",
		"no return":            "the kernel rejected the program",
	}
	if os.Geteuid() == 0 {
		want["without no_new_privs"] = "ok" // CAP_SYS_ADMIN: no_new_privs is not needed
	}
	for k, w := range want {
		if g := got[k]; !strings.Contains(g, w) {
			t.Errorf("%s: Install said %q, want it to contain %q", k, g, w)
		}
	}
}
