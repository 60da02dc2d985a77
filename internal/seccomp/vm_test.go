//go:build linux && (amd64 || arm64)

package seccomp

import (
	"encoding/binary"
	"testing"

	"golang.org/x/net/bpf"
)

// vmData encodes struct seccomp_data for x/net/bpf's VM. The kernel loads
// each 32-bit word in native byte order (little-endian here); the VM loads
// big-endian. So every word is stored big-endian at the offset the kernel's
// layout gives it, and the VM reads the value the kernel would.
func vmData(arch, nr uint32, args ...uint64) []byte {
	b := make([]byte, 64)
	put := func(off uint32, v uint32) { binary.BigEndian.PutUint32(b[off:], v) }
	put(offNr, nr)
	put(offArch, arch)
	for i, a := range args {
		put(argLow(i), uint32(a))
		put(argHigh(i), uint32(a>>32))
	}
	return b
}

// kernelData encodes struct seccomp_data the way the kernel lays it out.
func kernelData(arch, nr uint32, ip uint64, args ...uint64) []byte {
	b := make([]byte, 64)
	binary.LittleEndian.PutUint32(b[0:], nr)
	binary.LittleEndian.PutUint32(b[4:], arch)
	binary.LittleEndian.PutUint64(b[8:], ip)
	for i, a := range args {
		binary.LittleEndian.PutUint64(b[16+8*i:], a)
	}
	return b
}

// vm is a compiled program loaded into x/net/bpf's userspace VM.
type vm struct{ *bpf.VM }

func newVM(t testing.TB, prog []SockFilter) vm {
	t.Helper()
	insts := make([]bpf.Instruction, len(prog))
	for i, p := range prog {
		insts[i] = bpf.RawInstruction{Op: p.Code, Jt: p.Jt, Jf: p.Jf, K: p.K}.Disassemble()
	}
	m, err := bpf.NewVM(insts)
	if err != nil {
		t.Fatalf("loading the program into the BPF VM: %v", err)
	}
	return vm{m}
}

// run returns the action the program gives a system call.
func (m vm) run(t testing.TB, arch, nr uint32, args ...uint64) Action {
	t.Helper()
	out, err := m.Run(vmData(arch, nr, args...))
	if err != nil {
		t.Fatalf("running the program in the BPF VM: %v", err)
	}
	return Action(uint32(out))
}

func mustCompile(t testing.TB, rules []Rule, dflt Action) []SockFilter {
	t.Helper()
	prog, err := Compile(rules, dflt)
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	return prog
}

// TestVMDataMatchesKernelLayout checks the VM helper itself: each word the
// VM loads from vmData equals the word the kernel loads from its layout.
func TestVMDataMatchesKernelLayout(t *testing.T) {
	args := []uint64{0x0102030405060708, 0xfffffffe00000001, 0, 1 << 63, 0xdeadbeef, 0xffffffffffffffff}
	v := vmData(0xc000003e, 0x40000027, args...)
	k := kernelData(0xc000003e, 0x40000027, 0, args...)
	for off := 0; off < 64; off += 4 {
		if off == 8 || off == 12 {
			continue // instruction_pointer: never loaded by our programs
		}
		got, want := binary.BigEndian.Uint32(v[off:]), binary.LittleEndian.Uint32(k[off:])
		if got != want {
			t.Errorf("word at offset %d: the VM would load %#x, the kernel %#x", off, got, want)
		}
	}
}
