package seccomp

import (
	"cmp"
	"errors"
	"fmt"
	"runtime"
	"slices"

	"golang.org/x/net/bpf"
)

// Offsets of the 32-bit words in struct seccomp_data. Only little-endian
// architectures are supported, where the low word of a 64-bit argument
// comes first.
const (
	offNr   = 0  // int nr
	offArch = 4  // __u32 arch
	offArgs = 16 // __u64 args[6]
)

// x32Bit marks x32 system calls on x86_64 (__X32_SYSCALL_BIT).
const x32Bit = 0x40000000

// noSyscall is nr -1, which the kernel answers with ENOSYS; it is not an
// x32 call and is left to the rule table, as libseccomp does.
const noSyscall = 0xffffffff

// maxInsns is the kernel's limit on a classic BPF program (BPF_MAXINSNS).
const maxInsns = 4096

func argLow(i int) uint32  { return offArgs + 8*uint32(i) }
func argHigh(i int) uint32 { return argLow(i) + 4 }

// group is the rules for one system call, in the caller's order.
type group struct {
	nr    uint32
	rules []Rule
}

// Compile builds a seccomp program for the native architecture of the
// build from rules, returning dflt for system calls no rule matches.
//
// The program kills the process (KILL_PROCESS) for system calls of any
// other architecture, such as i386 calls made with int $0x80, and on x86_64
// for x32 calls; only native calls reach the rules. Where the native
// architecture is not supported it returns an error wrapping
// [errors.ErrUnsupported].
func Compile(rules []Rule, dflt Action) ([]SockFilter, error) {
	if !supported {
		return nil, fmt.Errorf("seccomp: no filter compiler for %s/%s: %w", runtime.GOOS, runtime.GOARCH, errors.ErrUnsupported)
	}
	if err := dflt.validate(); err != nil {
		return nil, fmt.Errorf("seccomp: default action: %w", err)
	}
	groups, err := groupRules(rules)
	if err != nil {
		return nil, fmt.Errorf("seccomp: %w", err)
	}
	insts, err := program(groups, dflt)
	if err != nil {
		return nil, fmt.Errorf("seccomp: %w", err)
	}
	return assemble(insts)
}

// groupRules validates the rules and groups them by system call number,
// in increasing number, keeping each call's rules in the order given.
func groupRules(rules []Rule) ([]group, error) {
	byNr := map[uint32]*group{}
	var groups []*group
	for i, r := range rules {
		if err := r.validate(); err != nil {
			return nil, fmt.Errorf("rule %d: %w", i, err)
		}
		g := byNr[r.Nr]
		if g == nil {
			g = &group{nr: r.Nr}
			byNr[r.Nr] = g
			groups = append(groups, g)
		}
		if n := len(g.rules); n > 0 && len(g.rules[n-1].Args) == 0 {
			return nil, fmt.Errorf("rule %d for %s can never match: an earlier rule for it has no argument conditions", i, r.name())
		}
		g.rules = append(g.rules, r)
	}
	slices.SortFunc(groups, func(x, y *group) int { return cmp.Compare(x.nr, y.nr) })
	out := make([]group, len(groups))
	for i, g := range groups {
		out[i] = *g
	}
	return out, nil
}

// program lays out the whole filter: the architecture check, the x32
// check, one block per system call, and the default.
func program(groups []group, dflt Action) ([]bpf.Instruction, error) {
	a := &assembler{}
	native := a.newLabel()
	a.load(offArch)
	a.jumpIf(bpf.JumpEqual, auditArch, native, next)
	a.ret(KillProcess)
	a.bind(native)
	a.load(offNr)
	if hasX32 {
		emitX32Check(a)
	}
	for _, g := range groups {
		body, err := syscallBody(g, dflt)
		if err != nil {
			return nil, err
		}
		emitDispatch(a, g.nr, body)
	}
	a.ret(dflt)
	return a.resolve()
}

// emitX32Check kills the process for x32 system calls. A holds nr.
func emitX32Check(a *assembler) {
	dispatch := a.newLabel()
	a.jumpIf(bpf.JumpGreaterOrEqual, x32Bit, next, dispatch)
	a.jumpIf(bpf.JumpEqual, noSyscall, dispatch, next)
	a.ret(KillProcess)
	a.bind(dispatch)
}

// emitDispatch runs body when nr matches. A holds nr; body always returns.
// A body too long for a conditional jump is stepped over with a long jump.
func emitDispatch(a *assembler, nr uint32, body []bpf.Instruction) {
	after := a.newLabel()
	if len(body) <= maxCondSkip {
		a.jumpIf(bpf.JumpEqual, nr, next, after)
	} else {
		in := a.newLabel()
		a.jumpIf(bpf.JumpEqual, nr, in, next)
		a.jump(after)
		a.bind(in)
	}
	a.emit(body...)
	a.bind(after)
}

// syscallBody tries one system call's rules in order, then returns dflt.
func syscallBody(g group, dflt Action) ([]bpf.Instruction, error) {
	b := &assembler{}
	for _, r := range g.rules {
		fail := b.newLabel()
		for _, m := range r.Args {
			emitMatch(b, m, fail)
		}
		b.ret(r.Action)
		b.bind(fail)
	}
	if len(g.rules[len(g.rules)-1].Args) > 0 {
		b.ret(dflt)
	}
	insts, err := b.resolve()
	if err != nil {
		return nil, fmt.Errorf("rules for %s: %w", g.rules[0].name(), err)
	}
	return insts, nil
}

// assemble encodes the program and checks the kernel's size limit.
func assemble(insts []bpf.Instruction) ([]SockFilter, error) {
	raw, err := bpf.Assemble(insts)
	if err != nil {
		return nil, fmt.Errorf("seccomp: assembling the filter: %w", err)
	}
	if len(raw) > maxInsns {
		return nil, fmt.Errorf("seccomp: the filter has %d instructions, more than the kernel's %d: use fewer rules", len(raw), maxInsns)
	}
	prog := make([]SockFilter, len(raw))
	for i, r := range raw {
		prog[i] = SockFilter{Code: r.Op, Jt: r.Jt, Jf: r.Jf, K: r.K}
	}
	return prog, nil
}
