//go:build linux && (amd64 || arm64)

package seccomp

import (
	"math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

func TestCompileRejects(t *testing.T) {
	ptrace := func(args ...ArgMatch) Rule {
		return Rule{Syscall: "ptrace", Nr: unix.SYS_PTRACE, Args: args, Action: eP, Reason: "test"}
	}
	cases := []struct {
		name  string
		rules []Rule
		dflt  Action
		want  string
	}{
		{"bad default", nil, Errno(0), "default action"},
		{"errno 0", []Rule{{Syscall: "x", Nr: 9999, Action: Errno(0)}}, Allow, "errno must be between"},
		{"errno too big", []Rule{{Syscall: "x", Nr: 9999, Action: Errno(5000)}}, Allow, "errno must be between"},
		{"trap", []Rule{{Syscall: "x", Nr: 9999, Action: Action(unix.SECCOMP_RET_TRAP)}}, Allow, "unsupported seccomp action"},
		{"user notif", nil, Action(unix.SECCOMP_RET_USER_NOTIF), "unsupported seccomp action"},
		{"kill thread", nil, Action(unix.SECCOMP_RET_KILL_THREAD), "unsupported seccomp action"},
		{"Nr does not match name", []Rule{{Syscall: "ptrace", Nr: unix.SYS_PTRACE + 1, Action: eP}}, Allow, "ptrace is"},
		{"index 6", []Rule{ptrace(ArgMatch{Index: 6, Mask: Int32, Op: Equal})}, Allow, "out of range"},
		{"index -1", []Rule{ptrace(ArgMatch{Index: -1, Mask: Int32, Op: Equal})}, Allow, "out of range"},
		{"zero mask", []Rule{ptrace(ArgMatch{Index: 0, Op: Equal})}, Allow, "Mask is zero"},
		{"value outside mask", []Rule{ptrace(ArgMatch{Index: 0, Mask: Int32, Value: 1 << 32, Op: Equal})}, Allow, "outside Mask"},
		{"no op", []Rule{ptrace(ArgMatch{Index: 0, Mask: Int32})}, Allow, "unknown comparison"},
		{"AnyBitsSet 0", []Rule{ptrace(ArgMatch{Index: 0, Mask: Int32, Op: AnyBitsSet})}, Allow, "can never match"},
		{"shadowed rule", []Rule{ptrace(), ptrace(ArgMatch{Index: 0, Mask: Int32, Op: Equal})}, Allow, "can never match"},
		{"too many instructions", manyRules(2100, unix.SYS_IOCTL), Allow, "more than the kernel's 4096"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Compile(c.rules, c.dflt)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Compile: got error %v, want one containing %q", err, c.want)
			}
		})
	}
}

// manyRules denies n ioctl commands, one rule each.
func manyRules(n int, nr uint32) []Rule {
	rules := make([]Rule, n)
	for i := range rules {
		rules[i] = Rule{Nr: nr, Args: []ArgMatch{{Index: 1, Mask: Int32, Value: uint64(i + 1), Op: Equal}}, Action: eP}
	}
	return rules
}

// TestLongSyscallBody compiles a system call whose rules are too long for
// a conditional jump over them, and checks that calls before, inside and
// after it still get the right action.
func TestLongSyscallBody(t *testing.T) {
	rules := append(manyRules(300, 7000), Rule{Nr: 7001, Action: Errno(unix.EXDEV)}, Rule{Nr: 6999, Action: Log})
	prog := mustCompile(t, rules, Allow)
	if len(prog) < 600 {
		t.Fatalf("program has %d instructions; the test needs a body longer than 255", len(prog))
	}
	m := newVM(t, prog)
	cases := []policyCase{
		{"first rule", 7000, []uint64{0, 1}, eP},
		{"last rule", 7000, []uint64{0, 300}, eP},
		{"high bits ignored", 7000, []uint64{0, 1<<32 | 150}, eP},
		{"no rule matches", 7000, []uint64{0, 301}, Allow},
		{"after the long body", 7001, nil, Errno(unix.EXDEV)},
		{"before the long body", 6999, nil, Log},
		{"unlisted", 7002, nil, Allow},
	}
	for _, c := range cases {
		if got := m.run(t, auditArch, c.nr, c.args...); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

// TestRuleOrder checks that the first matching rule of a system call wins,
// whatever the order of the table.
func TestRuleOrder(t *testing.T) {
	rules := []Rule{
		{Nr: 5000, Args: []ArgMatch{{Index: 0, Mask: Int64, Value: 1, Op: Equal}}, Action: Errno(unix.EXDEV)},
		{Nr: 4000, Action: Log},
		{Nr: 5000, Args: []ArgMatch{{Index: 0, Mask: Int32, Value: 1, Op: AnyBitsSet}}, Action: eP},
		{Nr: 5000, Action: Errno(unix.ENOENT)},
	}
	m := newVM(t, mustCompile(t, rules, Allow))
	cases := []policyCase{
		{"first rule", 5000, []uint64{1}, Errno(unix.EXDEV)},
		{"second rule", 5000, []uint64{3}, eP},
		{"second rule, high bits", 5000, []uint64{1<<32 | 1}, eP},
		{"catch-all", 5000, []uint64{2}, Errno(unix.ENOENT)},
		{"other syscall", 4000, nil, Log},
	}
	for _, c := range cases {
		if got := m.run(t, auditArch, c.nr, c.args...); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

// reference is a plain Go statement of what a compiled program must do.
func reference(rules []Rule, dflt Action, arch, nr uint32, args []uint64) Action {
	if arch != auditArch || (hasX32 && nr >= x32Bit && nr != noSyscall) {
		return KillProcess
	}
	for _, r := range rules {
		if r.Nr == nr && allHold(r.Args, args) {
			return r.Action
		}
	}
	return dflt
}

func allHold(ms []ArgMatch, args []uint64) bool {
	for _, m := range ms {
		v := args[m.Index] & m.Mask
		ok := map[Op]bool{Equal: v == m.Value, NotEqual: v != m.Value, AnyBitsSet: v&m.Value != 0}[m.Op]
		if !ok {
			return false
		}
	}
	return true
}

// FuzzCompileMatchesReference compiles random rule tables and checks the
// program against the reference on random, rule-biased system calls. The
// seed corpus runs as an ordinary test.
func FuzzCompileMatchesReference(f *testing.F) {
	for seed := range uint64(200) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, seed uint64) {
		r := rand.New(rand.NewPCG(seed, 0x5ecc0))
		rules, dflt := randomTable(r)
		m := newVM(t, mustCompile(t, rules, dflt))
		for range 200 {
			arch, nr, args := randomCall(r, rules)
			got, want := m.run(t, arch, nr, args...), reference(rules, dflt, arch, nr, args)
			if got != want {
				t.Fatalf("arch %#x nr %#x args %#x: program says %v, reference %v\nrules: %+v", arch, nr, args, got, want, rules)
			}
		}
	})
}

var randomNrs = []uint32{0, 1, 2, 3, 500}

func randomTable(r *rand.Rand) ([]Rule, Action) {
	var perNr [][]Rule
	for _, nr := range randomNrs {
		n := r.IntN(4)
		var rs []Rule
		for i := range n {
			nargs := 1 + r.IntN(3)
			if i == n-1 && r.IntN(3) == 0 {
				nargs = 0 // only the last rule of a call may be unconditional
			}
			rs = append(rs, randomRule(r, nr, nargs))
		}
		perNr = append(perNr, rs)
	}
	return interleave(r, perNr), randomAction(r)
}

// interleave merges the lists at random, keeping each list's order.
func interleave(r *rand.Rand, lists [][]Rule) []Rule {
	var out []Rule
	for {
		var open []int
		for i, l := range lists {
			if len(l) > 0 {
				open = append(open, i)
			}
		}
		if len(open) == 0 {
			return out
		}
		i := open[r.IntN(len(open))]
		out = append(out, lists[i][0])
		lists[i] = lists[i][1:]
	}
}

func randomRule(r *rand.Rand, nr uint32, nargs int) Rule {
	rl := Rule{Nr: nr, Action: randomAction(r)}
	for range nargs {
		rl.Args = append(rl.Args, randomMatch(r))
	}
	return rl
}

var randomMasks = []uint64{Int32, Int64, 0xff00, 0xffffffff00000000, 0x0000ffffffff0000, 0x8000000000000001}

func randomMatch(r *rand.Rand) ArgMatch {
	mask := randomMasks[r.IntN(len(randomMasks))]
	if r.IntN(4) == 0 {
		mask = r.Uint64() | 1
	}
	m := ArgMatch{Index: r.IntN(maxArgs), Mask: mask, Op: Op(1 + r.IntN(3)), Value: r.Uint64() & mask}
	if r.IntN(3) == 0 {
		m.Value &= 0xffff // small values make equal matches likelier
	}
	if m.Op == AnyBitsSet && m.Value == 0 {
		m.Value = mask & -mask
	}
	return m
}

func randomAction(r *rand.Rand) Action {
	return []Action{Allow, Log, eP, eN, Errno(unix.EXDEV), KillProcess}[r.IntN(6)]
}

func randomCall(r *rand.Rand, rules []Rule) (arch, nr uint32, args []uint64) {
	arch, nr = auditArch, randomNrs[r.IntN(len(randomNrs))]
	switch r.IntN(20) {
	case 0:
		arch = unix.AUDIT_ARCH_I386
	case 1:
		nr |= x32Bit
	case 2:
		nr = noSyscall
	}
	args = make([]uint64, maxArgs)
	for i := range args {
		args[i] = randomArg(r, rules)
	}
	return arch, nr, args
}

// randomArg picks argument values near what the rules compare with.
func randomArg(r *rand.Rand, rules []Rule) uint64 {
	var ms []ArgMatch
	for _, rl := range rules {
		ms = append(ms, rl.Args...)
	}
	if len(ms) == 0 || r.IntN(4) == 0 {
		return []uint64{0, ^uint64(0), r.Uint64()}[r.IntN(3)]
	}
	m := ms[r.IntN(len(ms))]
	switch r.IntN(3) {
	case 0:
		return m.Value
	case 1:
		return m.Value | (r.Uint64() &^ m.Mask) // differs only outside the mask
	default:
		return m.Value ^ (uint64(1) << r.IntN(64)) // one bit flipped
	}
}
