package fsview

import (
	"bytes"
	"debug/elf"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/procjail/procjail/internal/testutil"
)

func TestResolveELFCrafted(t *testing.T) {
	dir := t.TempDir()
	at := func(p string) string { return filepath.Join(dir, p) }
	// app needs liba (RUNPATH $ORIGIN/../lib), liba needs libb (its own RUNPATH
	// ${ORIGIN}), libb needs liba again (a cycle) and libc from the system.
	writeELF(t, at("app/bin/app"), elfSpec{interp: "/lib64/ld-linux-x86-64.so.2", needed: []string{"liba.so.1"}, runpath: "$ORIGIN/../lib/wrongarch:$ORIGIN/../lib"})
	writeELF(t, at("app/lib/liba.so.1.0"), elfSpec{needed: []string{"libb.so"}, runpath: "${ORIGIN}/sub"})
	if err := os.Symlink("liba.so.1.0", at("app/lib/liba.so.1")); err != nil {
		t.Fatal(err)
	}
	writeELF(t, at("app/lib/sub/libb.so"), elfSpec{needed: []string{"liba.so.1"}, runpath: "$ORIGIN/.."})
	// A library of another machine, earlier in the search path, is skipped.
	writeELF(t, at("app/lib/wrongarch/liba.so.1"), elfSpec{machine: elf.EM_AARCH64, dynamic: true})

	got, err := ResolveELF(at("app/bin/app"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"/lib64/ld-linux-x86-64.so.2", at("app/lib/liba.so.1"), at("app/lib/sub/libb.so")}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ResolveELF (-want +got):\n%s", diff)
	}
}

func TestResolveELFSearchOrder(t *testing.T) {
	dir := t.TempDir()
	at := func(p string) string { return filepath.Join(dir, p) }
	writeELF(t, at("r/libx.so"), elfSpec{dynamic: true})
	writeELF(t, at("rp/libx.so"), elfSpec{dynamic: true})
	writeELF(t, at("arch/libx.so"), elfSpec{machine: elf.EM_AARCH64, dynamic: true})
	for _, tc := range []struct {
		name string
		spec elfSpec
		want string
	}{
		{"runpath", elfSpec{needed: []string{"libx.so"}, runpath: at("r")}, at("r/libx.so")},
		{"rpath", elfSpec{needed: []string{"libx.so"}, rpath: at("rp")}, at("rp/libx.so")},
		{"runpath wins, rpath ignored", elfSpec{needed: []string{"libx.so"}, rpath: at("rp"), runpath: at("r")}, at("r/libx.so")},
		{"other machine skipped", elfSpec{needed: []string{"libx.so"}, runpath: at("arch") + ":" + at("r")}, at("r/libx.so")},
		{"unknown token dropped", elfSpec{needed: []string{"libx.so"}, runpath: "$NOPE/x:" + at("rp")}, at("rp/libx.so")},
		{"path in DT_NEEDED", elfSpec{needed: []string{at("rp/libx.so")}}, at("rp/libx.so")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "prog")
			writeELF(t, p, tc.spec)
			got, err := ResolveELF(p)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]string{tc.want}, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestResolveELFMissing(t *testing.T) {
	p := filepath.Join(t.TempDir(), "prog")
	writeELF(t, p, elfSpec{needed: []string{"libnope-procjail.so.9"}})
	deps, err := ResolveELF(p)
	if err == nil || !strings.Contains(err.Error(), "libnope-procjail.so.9") {
		t.Fatalf("ResolveELF = %v, %v; want a not-found error naming the library", deps, err)
	}
}

func TestResolveELFStaticAndNotELF(t *testing.T) {
	dir := t.TempDir()
	static := filepath.Join(dir, "static")
	writeELF(t, static, elfSpec{})
	deps, err := ResolveELF(static)
	if err != nil || len(deps) != 0 {
		t.Errorf("static: ResolveELF = %v, %v; want no deps", deps, err)
	}
	script := filepath.Join(dir, "script")
	if err := os.WriteFile(script, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := ResolveELF(script); err == nil {
		t.Error("ResolveELF(script) succeeded")
	}
}

// TestResolveELFMatchesLdd compares ResolveELF with what the real dynamic
// loader loads (ldd), by resolved path.
func TestResolveELFMatchesLdd(t *testing.T) {
	ldd, err := exec.LookPath("ldd")
	if err != nil {
		testutil.Skip(t, testutil.MissingFeature, "ldd", "no ldd on this host")
	}
	for _, prog := range []string{"/usr/bin/node", "/usr/bin/python3.11", "/bin/sh"} {
		t.Run(filepath.Base(prog), func(t *testing.T) {
			if _, err := os.Stat(prog); err != nil {
				testutil.Skip(t, testutil.MissingFeature, prog, "not installed")
			}
			out, err := exec.Command(ldd, prog).Output()
			if err != nil {
				t.Fatalf("ldd %s: %v", prog, err)
			}
			deps, err := ResolveELF(prog)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(realpaths(t, lddPaths(string(out))), realpaths(t, deps)); diff != "" {
				t.Errorf("ResolveELF vs ldd (-ldd +ours):\n%s", diff)
			}
			if !containsBase(deps, "libc.so.6") || !strings.Contains(deps[0], "ld-linux") {
				t.Errorf("deps %v: want the interpreter first and libc", deps)
			}
		})
	}
}

// lddPaths extracts the absolute paths from ldd's output.
func lddPaths(out string) []string {
	var paths []string
	for _, line := range strings.Split(out, "\n") {
		for _, f := range strings.Fields(line) {
			if strings.HasPrefix(f, "/") {
				paths = append(paths, f)
			}
		}
	}
	return paths
}

func realpaths(t *testing.T, paths []string) []string {
	t.Helper()
	set := map[string]bool{}
	for _, p := range paths {
		r, err := filepath.EvalSymlinks(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		set[r] = true
	}
	var out []string
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func containsBase(paths []string, base string) bool {
	for _, p := range paths {
		if filepath.Base(p) == base {
			return true
		}
	}
	return false
}

func TestExpandToken(t *testing.T) {
	obj := &elfInfo{class: elf.ELFCLASS64, machine: elf.EM_X86_64}
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"$ORIGIN/../lib", []string{"/o/../lib"}},
		{"${ORIGIN}/x", []string{"/o/x"}},
		{"/opt/$PLATFORM", []string{"/opt/x86_64"}},
		{"/p/$LIB", []string{"/p/lib64", "/p/lib/x86_64-linux-gnu", "/p/lib"}},
		{"relative/dir", nil},
		{"/a/$UNKNOWN", nil},
		{"", nil},
	} {
		if diff := cmp.Diff(tc.want, expandToken(tc.in, "/o", obj)); diff != "" {
			t.Errorf("expandToken(%q) (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestReadELFRejectsGarbage(t *testing.T) {
	p := filepath.Join(t.TempDir(), "junk")
	if err := os.WriteFile(p, []byte("\x7fELF garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readELF(p); err == nil {
		t.Fatal("readELF accepted garbage")
	}
	if _, err := readELF(filepath.Join(t.TempDir(), "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing file: %v", err)
	}
}

func FuzzParseELF(f *testing.F) {
	f.Add(elfSpec{interp: "/lib/ld.so", needed: []string{"liba.so"}, runpath: "$ORIGIN"}.bytes())
	f.Add(elfSpec{}.bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = parseELF(bytes.NewReader(data)) // must not panic, hang or allocate without bound
	})
}
