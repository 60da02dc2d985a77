package fsview

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
)

// elfSpec describes a minimal ELF64 little-endian object for tests: only
// program headers (PT_LOAD, PT_INTERP, PT_DYNAMIC), as the loader sees it.
type elfSpec struct {
	machine elf.Machine // default EM_X86_64
	interp  string
	needed  []string
	runpath string
	rpath   string
	dynamic bool // emit PT_DYNAMIC even with no entries
}

const elfBase = 0x400000

// writeELF writes spec as an executable file at path (parents created).
func writeELF(t *testing.T, path string, spec elfSpec) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, spec.bytes(), 0o755); err != nil {
		t.Fatal(err)
	}
}

func (s elfSpec) bytes() []byte {
	machine := s.machine
	if machine == 0 {
		machine = elf.EM_X86_64
	}
	dynamic := s.dynamic || len(s.needed) > 0 || s.runpath != "" || s.rpath != ""
	nph := 1
	if s.interp != "" {
		nph++
	}
	if dynamic {
		nph++
	}
	// Layout: header, phdrs, interp, strtab, dynamic.
	off := 64 + nph*56
	interpOff := off
	off += len(s.interp) + 1
	strtab, strOffs := s.strtab()
	strOff := off
	off += len(strtab)
	off = (off + 7) &^ 7
	dyn := s.dynEntries(strOffs, uint64(elfBase+strOff), uint64(len(strtab)))
	dynOff := off
	total := off + len(dyn)

	var b bytes.Buffer
	le := binary.LittleEndian
	w := func(v any) { _ = binary.Write(&b, le, v) }
	b.Write([]byte{0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	w(uint16(elf.ET_EXEC))
	w(uint16(machine))
	w(uint32(1))
	w(uint64(elfBase))
	w(uint64(64)) // phoff
	w(uint64(0))  // shoff
	w(uint32(0))  // flags
	w(uint16(64))
	w(uint16(56))
	w(uint16(nph))
	w(uint16(64))
	w(uint16(0))
	w(uint16(0))
	phdr := func(typ elf.ProgType, o, size int) {
		w(uint32(typ))
		w(uint32(elf.PF_R))
		w(uint64(o))
		w(uint64(elfBase + o))
		w(uint64(elfBase + o))
		w(uint64(size))
		w(uint64(size))
		w(uint64(8))
	}
	phdr(elf.PT_LOAD, 0, total)
	if s.interp != "" {
		phdr(elf.PT_INTERP, interpOff, len(s.interp)+1)
	}
	if dynamic {
		phdr(elf.PT_DYNAMIC, dynOff, len(dyn))
	}
	b.WriteString(s.interp)
	b.WriteByte(0)
	b.Write(strtab)
	for b.Len() < dynOff {
		b.WriteByte(0)
	}
	b.Write(dyn)
	return b.Bytes()
}

// strtab returns the dynamic string table and each string's offset in it:
// needed names first, then runpath, then rpath.
func (s elfSpec) strtab() ([]byte, []uint64) {
	var tab bytes.Buffer
	tab.WriteByte(0)
	var offs []uint64
	for _, str := range append(append([]string{}, s.needed...), s.runpath, s.rpath) {
		offs = append(offs, uint64(tab.Len()))
		tab.WriteString(str)
		tab.WriteByte(0)
	}
	return tab.Bytes(), offs
}

func (s elfSpec) dynEntries(offs []uint64, strtabAddr, strsz uint64) []byte {
	var b bytes.Buffer
	ent := func(tag elf.DynTag, val uint64) {
		_ = binary.Write(&b, binary.LittleEndian, int64(tag))
		_ = binary.Write(&b, binary.LittleEndian, val)
	}
	for i := range s.needed {
		ent(elf.DT_NEEDED, offs[i])
	}
	if s.runpath != "" {
		ent(elf.DT_RUNPATH, offs[len(s.needed)])
	}
	if s.rpath != "" {
		ent(elf.DT_RPATH, offs[len(s.needed)+1])
	}
	ent(elf.DT_STRTAB, strtabAddr)
	ent(elf.DT_STRSZ, strsz)
	ent(elf.DT_NULL, 0)
	return b.Bytes()
}

// TestELFBuilderRoundTrip checks the test's ELF writer against debug/elf,
// so the ResolveELF tests rest on well-formed input.
func TestELFBuilderRoundTrip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x")
	writeELF(t, p, elfSpec{interp: "/lib64/ld.so", needed: []string{"liba.so", "libb.so"}, runpath: "$ORIGIN"})
	info, err := readELF(p)
	if err != nil {
		t.Fatal(err)
	}
	if info.interp != "/lib64/ld.so" || len(info.needed) != 2 || info.needed[1] != "libb.so" || info.runpath[0] != "$ORIGIN" {
		t.Fatalf("readELF = %+v", info)
	}
}
