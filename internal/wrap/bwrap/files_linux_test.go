package bwrap

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

func TestOpenFilesData(t *testing.T) {
	c := Command{ExtraFiles: []Payload{{Name: "options", Data: []byte("a\x00b\x00")}, {Name: "empty"}}}
	files, err := c.OpenFiles()
	if err != nil {
		t.Fatal(err)
	}
	defer CloseFiles(files)
	for i, f := range files {
		got, err := io.ReadAll(f)
		if err != nil || string(got) != string(c.ExtraFiles[i].Data) {
			t.Errorf("fd for %s holds %q (%v)", c.ExtraFiles[i].Name, got, err)
		}
		if _, err := f.Write([]byte("x")); err == nil {
			t.Errorf("fd for %s is writable: the seal did not hold", c.ExtraFiles[i].Name)
		}
	}
}

func TestOpenFilesPath(t *testing.T) {
	dir := t.TempDir()
	files, err := Command{ExtraFiles: []Payload{{Name: "/x", Path: dir}}}.OpenFiles()
	if err != nil {
		t.Fatal(err)
	}
	defer CloseFiles(files)
	if !sameFile(t, files[0], dir) {
		t.Error("the descriptor does not refer to the directory")
	}
}

// TestOpenNoFollow: a symlink anywhere in a bind source is refused, by
// openat2 and by the fallback walk alike.
func TestOpenNoFollow(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real")
	must(t, os.MkdirAll(filepath.Join(real, "sub"), 0o755))
	must(t, os.Symlink(real, filepath.Join(dir, "link")))
	must(t, os.Symlink("/etc", filepath.Join(real, "planted")))
	for _, tc := range []struct {
		path string
		ok   bool
	}{
		{filepath.Join(real, "sub"), true},
		{filepath.Join(dir, "link", "sub"), false},
		{filepath.Join(real, "planted"), false},
		{filepath.Join(real, "missing"), false},
	} {
		f, err := openNoFollow(tc.path)
		if (err == nil) != tc.ok {
			t.Errorf("openNoFollow(%s): %v", tc.path, err)
		}
		if err == nil {
			f.Close()
		}
		fd, err := walkNoFollow(tc.path)
		if (err == nil) != tc.ok {
			t.Errorf("walkNoFollow(%s): %v", tc.path, err)
		}
		if err == nil {
			unix.Close(fd)
		}
		if !tc.ok && tc.path != filepath.Join(real, "missing") && !errors.Is(err, unix.ELOOP) {
			t.Errorf("walkNoFollow(%s) = %v, want ELOOP", tc.path, err)
		}
	}
}

func sameFile(t *testing.T, f *os.File, path string) bool {
	t.Helper()
	var st unix.Stat_t
	if err := unix.Fstat(int(f.Fd()), &st); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	sys := fi.Sys().(*syscall.Stat_t)
	return sys.Ino == st.Ino && sys.Dev == st.Dev
}
