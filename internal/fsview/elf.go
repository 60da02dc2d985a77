package fsview

import (
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// ResolveELF returns what the dynamic loader needs to start the ELF
// program at path: its interpreter (PT_INTERP) and every DT_NEEDED
// library, recursively, each as the path the loader would open. Libraries
// are searched like glibc's ld.so does, minus the environment: DT_RPATH
// (when there is no DT_RUNPATH) of the object and the program,
// DT_RUNPATH of the object ($ORIGIN, $LIB and $PLATFORM expanded),
// /etc/ld.so.cache, then the default directories; for a musl program,
// /etc/ld-musl-<arch>.path or musl's defaults. Only files of the program's
// ELF class and machine match. A static program has no dependencies.
// Libraries that cannot be found are reported together in the error,
// after the ones that were.
func ResolveELF(path string) (deps []string, err error) {
	main, err := readELF(path)
	if err != nil {
		return nil, err
	}
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return nil, err
	}
	r := &elfResolver{main: main, seen: map[string]bool{}}
	if main.interp != "" {
		r.add(main.interp)
	}
	r.walk(main, filepath.Dir(real))
	return r.deps, errors.Join(r.missing...)
}

// elfInfo is what the loader reads from one object.
type elfInfo struct {
	class   elf.Class
	machine elf.Machine
	interp  string
	needed  []string
	runpath []string
	rpath   []string
}

type elfResolver struct {
	main    *elfInfo
	seen    map[string]bool
	deps    []string
	missing []error
	search  *searchPath // lazily loaded system search path
}

func (r *elfResolver) add(p string) bool {
	if r.seen[p] {
		return false
	}
	r.seen[p] = true
	r.deps = append(r.deps, p)
	return true
}

// walk resolves the DT_NEEDED entries of obj, whose $ORIGIN is origin, and
// recurses into each new library.
func (r *elfResolver) walk(obj *elfInfo, origin string) {
	for _, name := range obj.needed {
		p, info := r.find(obj, origin, name)
		if p == "" {
			r.missing = append(r.missing, fmt.Errorf("library %s (needed from %s): not found", name, origin))
			continue
		}
		if r.add(p) {
			r.walk(info, filepath.Dir(p))
		}
	}
}

// find locates one DT_NEEDED name for obj.
func (r *elfResolver) find(obj *elfInfo, origin, name string) (string, *elfInfo) {
	if strings.Contains(name, "/") {
		return r.try(name)
	}
	for _, dir := range r.dirsFor(obj, origin) {
		if p, info := r.try(filepath.Join(dir, name)); p != "" {
			return p, info
		}
	}
	for _, p := range r.system().cache[name] {
		if p, info := r.try(p); p != "" {
			return p, info
		}
	}
	for _, dir := range r.system().dirs {
		if p, info := r.try(filepath.Join(dir, name)); p != "" {
			return p, info
		}
	}
	return "", nil
}

// dirsFor lists the object-specific search directories, in glibc's order.
func (r *elfResolver) dirsFor(obj *elfInfo, origin string) []string {
	var dirs []string
	if len(obj.runpath) == 0 {
		dirs = append(dirs, expandDirs(obj.rpath, origin, obj)...)
		if obj != r.main && len(r.main.runpath) == 0 {
			dirs = append(dirs, expandDirs(r.main.rpath, origin, r.main)...)
		}
	}
	return append(dirs, expandDirs(obj.runpath, origin, obj)...)
}

// try returns p and its info when p is a readable ELF object of the
// program's class and machine.
func (r *elfResolver) try(p string) (string, *elfInfo) {
	if !filepath.IsAbs(p) {
		return "", nil
	}
	info, err := readELF(p)
	if err != nil || info.class != r.main.class || info.machine != r.main.machine {
		return "", nil
	}
	return filepath.Clean(p), info
}

func (r *elfResolver) system() *searchPath {
	if r.search == nil {
		r.search = systemSearchPath(r.main)
	}
	return r.search
}

// expandDirs splits DT_RUNPATH/DT_RPATH entries and expands the dynamic
// string tokens; an entry with an unknown token is dropped, as ld.so does.
func expandDirs(entries []string, origin string, obj *elfInfo) []string {
	var out []string
	for _, e := range entries {
		for _, d := range strings.Split(e, ":") {
			out = append(out, expandToken(d, origin, obj)...)
		}
	}
	return out
}

func expandToken(d, origin string, obj *elfInfo) []string {
	if d == "" {
		return nil
	}
	out := []string{d}
	out = replaceToken(out, "ORIGIN", []string{origin})
	out = replaceToken(out, "PLATFORM", []string{platform(obj.machine)})
	out = replaceToken(out, "LIB", libDirNames(obj))
	var kept []string
	for _, s := range out {
		if !strings.Contains(s, "$") && filepath.IsAbs(s) {
			kept = append(kept, s)
		}
	}
	return kept
}

// replaceToken replaces $NAME and ${NAME} in every string by each value.
func replaceToken(in []string, name string, values []string) []string {
	var out []string
	for _, s := range in {
		if !strings.Contains(s, "$"+name) && !strings.Contains(s, "${"+name+"}") {
			out = append(out, s)
			continue
		}
		for _, v := range values {
			r := strings.ReplaceAll(s, "${"+name+"}", v)
			out = append(out, strings.ReplaceAll(r, "$"+name, v))
		}
	}
	return out
}

// readELF reads the loader-relevant parts of an ELF object from its
// program headers (the loader ignores section headers, which may be
// stripped).
func readELF(path string) (*elfInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := parseELF(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return info, nil
}

// parseELF decodes an ELF object; sizes read from it are bounded, as the
// file may be hostile.
func parseELF(r io.ReaderAt) (*elfInfo, error) {
	ef, err := elf.NewFile(r)
	if err != nil {
		return nil, fmt.Errorf("not an ELF object: %w", err)
	}
	info := &elfInfo{class: ef.Class, machine: ef.Machine}
	return info, info.readProgs(ef)
}

func (info *elfInfo) readProgs(ef *elf.File) error {
	for _, p := range ef.Progs {
		switch p.Type {
		case elf.PT_INTERP:
			s, err := readCString(p, 0, int64(p.Filesz))
			if err != nil {
				return fmt.Errorf("PT_INTERP: %w", err)
			}
			info.interp = s
		case elf.PT_DYNAMIC:
			if err := info.readDynamic(ef, p); err != nil {
				return fmt.Errorf("PT_DYNAMIC: %w", err)
			}
		}
	}
	return nil
}

// dynEntry is one decoded Elf_Dyn.
type dynEntry struct {
	tag elf.DynTag
	val uint64
}

func (info *elfInfo) readDynamic(ef *elf.File, dyn *elf.Prog) error {
	entries, err := dynEntries(ef, dyn)
	if err != nil {
		return err
	}
	var strtab uint64
	for _, e := range entries {
		if e.tag == elf.DT_STRTAB {
			strtab = e.val
		}
	}
	str := func(off uint64) (string, error) { return stringAt(ef, strtab+off) }
	for _, e := range entries {
		var dst *[]string
		switch e.tag {
		case elf.DT_NEEDED:
			dst = &info.needed
		case elf.DT_RUNPATH:
			dst = &info.runpath
		case elf.DT_RPATH:
			dst = &info.rpath
		default:
			continue
		}
		s, err := str(e.val)
		if err != nil {
			return err
		}
		*dst = append(*dst, s)
	}
	return nil
}

// maxDynEntries bounds the dynamic section read from a hostile file.
const maxDynEntries = 1 << 16

func dynEntries(ef *elf.File, dyn *elf.Prog) ([]dynEntry, error) {
	size := uint64(16)
	if ef.Class == elf.ELFCLASS32 {
		size = 8
	}
	n := min(dyn.Filesz/size, maxDynEntries)
	buf := make([]byte, n*size)
	if _, err := dyn.ReadAt(buf, 0); err != nil && err != io.EOF {
		return nil, err
	}
	var out []dynEntry
	for i := uint64(0); i < n; i++ {
		e := decodeDyn(ef, buf[i*size:(i+1)*size])
		if e.tag == elf.DT_NULL {
			break
		}
		out = append(out, e)
	}
	return out, nil
}

func decodeDyn(ef *elf.File, b []byte) dynEntry {
	if ef.Class == elf.ELFCLASS32 {
		return dynEntry{elf.DynTag(int32(ef.ByteOrder.Uint32(b))), uint64(ef.ByteOrder.Uint32(b[4:]))}
	}
	return dynEntry{elf.DynTag(int64(ef.ByteOrder.Uint64(b))), ef.ByteOrder.Uint64(b[8:])}
}

// stringAt reads the NUL-terminated string at virtual address vaddr, from
// the PT_LOAD segment that maps it.
func stringAt(ef *elf.File, vaddr uint64) (string, error) {
	for _, p := range ef.Progs {
		if p.Type == elf.PT_LOAD && vaddr >= p.Vaddr && vaddr-p.Vaddr < p.Filesz {
			return readCString(p, int64(vaddr-p.Vaddr), int64(p.Filesz))
		}
	}
	return "", fmt.Errorf("string at %#x is not in a loaded segment", vaddr)
}

// maxCString bounds a path read from a hostile file.
const maxCString = 4096

func readCString(r io.ReaderAt, off, limit int64) (string, error) {
	n := min(limit-off, maxCString)
	if n <= 0 {
		return "", errors.New("empty string")
	}
	buf := make([]byte, n)
	got, err := r.ReadAt(buf, off)
	if err != nil && err != io.EOF {
		return "", err
	}
	buf = buf[:got]
	i := strings.IndexByte(string(buf), 0)
	if i < 0 {
		return "", fmt.Errorf("unterminated string at %#x", off)
	}
	return string(buf[:i]), nil
}
