package seccomp

import (
	"fmt"

	"golang.org/x/net/bpf"
)

// label names a position in a program being assembled. Jumps only go
// forward, so a seccomp program can never loop.
type label int

// next is the label of the instruction right after a jump: jump offset 0.
const next label = -1

// maxCondSkip is the farthest a conditional jump can reach (8-bit offset).
const maxCondSkip = 255

// fixup is a jump whose target offsets are filled in by resolve.
type fixup struct {
	at     int   // index of the jump in prog
	yes    label // target when the condition holds (or of an unconditional jump)
	no     label // target when it does not
	always bool  // an unconditional jump (ja)
}

// assembler collects classic BPF instructions with symbolic forward jumps.
type assembler struct {
	prog   []bpf.Instruction
	labels []int // position of each label, -1 until bound
	fixups []fixup
}

func (a *assembler) newLabel() label {
	a.labels = append(a.labels, -1)
	return label(len(a.labels) - 1)
}

// bind places l at the next instruction.
func (a *assembler) bind(l label) { a.labels[l] = len(a.prog) }

func (a *assembler) emit(ins ...bpf.Instruction) { a.prog = append(a.prog, ins...) }

// load puts the 32-bit word at off in seccomp_data into A.
func (a *assembler) load(off uint32) { a.emit(bpf.LoadAbsolute{Off: off, Size: 4}) }

func (a *assembler) ret(act Action) { a.emit(bpf.RetConstant{Val: uint32(act)}) }

// jumpIf jumps to yes when "A cond val" holds, else to no.
func (a *assembler) jumpIf(cond bpf.JumpTest, val uint32, yes, no label) {
	a.fixups = append(a.fixups, fixup{at: len(a.prog), yes: yes, no: no})
	a.emit(bpf.JumpIf{Cond: cond, Val: val})
}

// jump jumps to l unconditionally; its reach is not limited to 255.
func (a *assembler) jump(l label) {
	a.fixups = append(a.fixups, fixup{at: len(a.prog), yes: l, always: true})
	a.emit(bpf.Jump{})
}

// resolve fills in every jump offset and returns the program.
func (a *assembler) resolve() ([]bpf.Instruction, error) {
	for _, f := range a.fixups {
		yes, err := a.skip(f.at, f.yes, f.always)
		if err != nil {
			return nil, err
		}
		if f.always {
			a.prog[f.at] = bpf.Jump{Skip: yes}
			continue
		}
		no, err := a.skip(f.at, f.no, false)
		if err != nil {
			return nil, err
		}
		j := a.prog[f.at].(bpf.JumpIf)
		j.SkipTrue, j.SkipFalse = uint8(yes), uint8(no)
		a.prog[f.at] = j
	}
	return a.prog, nil
}

// skip is the offset from the jump at index at to label l.
func (a *assembler) skip(at int, l label, long bool) (uint32, error) {
	if l == next {
		return 0, nil
	}
	pos := a.labels[l]
	switch {
	case pos < 0:
		return 0, fmt.Errorf("seccomp assembler: jump at %d to a label never placed", at)
	case pos <= at:
		return 0, fmt.Errorf("seccomp assembler: backward jump at %d", at)
	case !long && pos-at-1 > maxCondSkip:
		return 0, fmt.Errorf("seccomp assembler: conditional jump at %d spans %d instructions, more than %d", at, pos-at-1, maxCondSkip)
	}
	return uint32(pos - at - 1), nil
}
