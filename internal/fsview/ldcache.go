package fsview

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
)

// searchPath is the loader's system-wide search path: the ld.so.cache
// (name → paths, in cache order) and the default directories.
type searchPath struct {
	cache map[string][]string
	dirs  []string
}

// ldCachePath is glibc's cache of the ld.so.conf search path.
var ldCachePath = "/etc/ld.so.cache"

// systemSearchPath builds the system search path for the program main: a
// missing or malformed cache only leaves the default directories.
func systemSearchPath(main *elfInfo) *searchPath {
	if strings.Contains(filepath.Base(main.interp), "ld-musl-") {
		return &searchPath{dirs: muslDirs(main.interp)}
	}
	data, err := os.ReadFile(ldCachePath)
	if err != nil {
		return &searchPath{dirs: defaultDirs(main)}
	}
	cache, _ := parseLdCache(data)
	return &searchPath{cache: cache, dirs: defaultDirs(main)}
}

const (
	ldCacheOldMagic = "ld.so-1.7.0"
	ldCacheNewMagic = "glibc-ld.so.cache1.1"
	ldCacheHeader   = 48 // struct cache_file_new
	ldCacheEntry    = 24 // struct file_entry_new
	ldCacheOldEntry = 12 // struct file_entry
)

var errLdCache = errors.New("malformed ld.so.cache")

// parseLdCache decodes glibc's ld.so.cache in the "new" format, alone or
// after an old-format section. Offsets of names and paths are relative to
// the start of the new-format header. Entries keep the cache's order.
func parseLdCache(data []byte) (map[string][]string, error) {
	start, err := ldCacheNewStart(data)
	if err != nil {
		return nil, err
	}
	c := data[start:]
	if len(c) < ldCacheHeader || !bytes.HasPrefix(c, []byte(ldCacheNewMagic)) {
		return nil, errLdCache
	}
	n := uint64(binary.NativeEndian.Uint32(c[20:24]))
	if ldCacheHeader+n*ldCacheEntry > uint64(len(c)) {
		return nil, errLdCache
	}
	out := map[string][]string{}
	for i := uint64(0); i < n; i++ {
		e := c[ldCacheHeader+i*ldCacheEntry:]
		name, ok1 := cstringAt(c, binary.NativeEndian.Uint32(e[4:8]))
		path, ok2 := cstringAt(c, binary.NativeEndian.Uint32(e[8:12]))
		if ok1 && ok2 {
			out[name] = append(out[name], path)
		}
	}
	return out, nil
}

// ldCacheNewStart finds where the new-format section begins.
func ldCacheNewStart(data []byte) (int, error) {
	if !bytes.HasPrefix(data, []byte(ldCacheOldMagic)) {
		return 0, nil
	}
	if len(data) < 16 {
		return 0, errLdCache
	}
	n := uint64(binary.NativeEndian.Uint32(data[12:16]))
	end := 16 + n*ldCacheOldEntry
	end = (end + 7) &^ 7
	if end > uint64(len(data)) {
		return 0, errLdCache
	}
	return int(end), nil
}

func cstringAt(b []byte, off uint32) (string, bool) {
	if uint64(off) >= uint64(len(b)) {
		return "", false
	}
	s := b[off:]
	i := bytes.IndexByte(s, 0)
	if i <= 0 {
		return "", false
	}
	return string(s[:i]), true
}

// multiarch is Debian's multiarch triplet for a machine.
var multiarch = map[elf.Machine]string{
	elf.EM_X86_64: "x86_64-linux-gnu", elf.EM_AARCH64: "aarch64-linux-gnu", elf.EM_386: "i386-linux-gnu",
	elf.EM_ARM: "arm-linux-gnueabihf", elf.EM_RISCV: "riscv64-linux-gnu", elf.EM_PPC64: "powerpc64le-linux-gnu",
	elf.EM_S390: "s390x-linux-gnu", elf.EM_LOONGARCH: "loongarch64-linux-gnu",
}

// platforms is what $PLATFORM expands to.
var platforms = map[elf.Machine]string{
	elf.EM_X86_64: "x86_64", elf.EM_AARCH64: "aarch64", elf.EM_386: "i686", elf.EM_ARM: "v7l",
	elf.EM_RISCV: "riscv64", elf.EM_PPC64: "ppc64le", elf.EM_S390: "s390x", elf.EM_LOONGARCH: "loongarch64",
}

func platform(m elf.Machine) string { return platforms[m] }

// libDirNames are the candidates for $LIB: glibc builds differ (lib64 on
// Fedora, lib/<triplet> on Debian).
func libDirNames(obj *elfInfo) []string {
	bits := "lib64"
	if obj.class == elf.ELFCLASS32 {
		bits = "lib32"
	}
	names := []string{bits}
	if t := multiarch[obj.machine]; t != "" {
		names = append(names, "lib/"+t)
	}
	return append(names, "lib")
}

// defaultDirs are glibc's trusted directories, covering both Debian's
// multiarch layout and the lib64 layout.
func defaultDirs(obj *elfInfo) []string {
	var dirs []string
	for _, name := range libDirNames(obj) {
		dirs = append(dirs, "/"+name, "/usr/"+name)
	}
	return dirs
}

// muslDirs reads /etc/ld-musl-<arch>.path (directories separated by ':'
// or newlines), or returns musl's defaults.
func muslDirs(interp string) []string {
	arch := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(interp), "ld-musl-"), ".so.1")
	data, err := os.ReadFile("/etc/ld-musl-" + arch + ".path")
	if err != nil {
		return []string{"/lib", "/usr/local/lib", "/usr/lib"}
	}
	var dirs []string
	for _, d := range strings.FieldsFunc(string(data), func(r rune) bool { return r == ':' || r == '\n' }) {
		if filepath.IsAbs(strings.TrimSpace(d)) {
			dirs = append(dirs, strings.TrimSpace(d))
		}
	}
	return dirs
}
