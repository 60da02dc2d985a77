package stagebin_test

import (
	"os"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/procjail/procjail/internal/stagebin"
)

// TestSealedMemfd checks the program is served from a memfd that cannot
// be written, shrunk or grown.
func TestSealedMemfd(t *testing.T) {
	p, why := stagebin.Path()
	if why != "" {
		t.Fatalf("fallback to %s: %s", p, why)
	}
	if !strings.HasPrefix(p, "/proc/self/fd/") {
		t.Fatalf("path %q", p)
	}
	target, _ := os.Readlink(p)
	if !strings.HasPrefix(target, "/memfd:procjail-stage") {
		t.Fatalf("%s -> %q, want a memfd", p, target)
	}
	fd, err := unix.Open(p, unix.O_RDONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	seals, err := unix.FcntlInt(uintptr(fd), unix.F_GET_SEALS, 0)
	want := unix.F_SEAL_SEAL | unix.F_SEAL_SHRINK | unix.F_SEAL_GROW | unix.F_SEAL_WRITE
	if err != nil || seals&want != want {
		t.Fatalf("seals %#x, %v; want %#x", seals, err, want)
	}
	w, err := unix.Open(p, unix.O_WRONLY, 0)
	if err == nil {
		defer unix.Close(w)
		if _, err := unix.Write(w, []byte("x")); err != unix.EPERM {
			t.Fatalf("writing to the sealed program: %v, want EPERM", err)
		}
	}
}
