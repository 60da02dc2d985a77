package seccomp

import "fmt"

// Op is how an [ArgMatch] compares a system call argument.
type Op uint8

// The comparisons. Each works on the argument ANDed with the match's Mask.
const (
	// Equal matches when arg&Mask == Value.
	Equal Op = iota + 1
	// NotEqual matches when arg&Mask != Value.
	NotEqual
	// AnyBitsSet matches when arg&Mask&Value != 0: at least one of the
	// bits in Value is set.
	AnyBitsSet
)

// String names the comparison.
func (o Op) String() string {
	switch o {
	case Equal:
		return "=="
	case NotEqual:
		return "!="
	case AnyBitsSet:
		return "&"
	}
	return fmt.Sprintf("op(%d)", uint8(o))
}

// Int32 is the Mask for arguments that the kernel takes as a C int or
// unsigned int (ioctl's request, clone's flags, personality): the kernel
// ignores their upper 32 bits, so a match must ignore them too, or setting
// a high bit would slip past it.
const Int32 uint64 = 0xffffffff

// Int64 is the Mask for arguments the kernel reads as a full 64-bit value.
const Int64 uint64 = 0xffffffffffffffff

// maxArgs is the number of system call arguments seccomp can see.
const maxArgs = 6

// ArgMatch is one condition on a system call argument.
type ArgMatch struct {
	// Index is the argument's position, 0 to 5.
	Index int
	// Mask selects the bits compared; use [Int32] for int arguments.
	// It must not be zero.
	Mask uint64
	// Value is compared with the masked argument as Op says. It must have
	// no bits outside Mask.
	Value uint64
	// Op is the comparison.
	Op Op
}

// Rule says what the filter returns for one system call, optionally only
// when its arguments match.
//
// Rules for the same system call are tried in the order given, and the
// first whose Args all match decides. A call that no rule matches gets the
// default action passed to [Compile].
type Rule struct {
	// Syscall is the system call's name, used in messages and checked
	// against Nr when the package knows the name.
	Syscall string
	// Nr is the system call's number on the native architecture.
	Nr uint32
	// Args are conditions that must all hold (AND); none means always.
	Args []ArgMatch
	// Action is what the filter returns when the rule matches.
	Action Action
	// Reason says, for a human, why the rule exists.
	Reason string
}

// validate checks the rule on its own.
func (r Rule) validate() error {
	if nr, ok := lookup(r.Syscall); ok && nr != r.Nr {
		return fmt.Errorf("rule for %s has Nr %d, but %s is %d on this architecture", r.Syscall, r.Nr, r.Syscall, nr)
	}
	if err := r.Action.validate(); err != nil {
		return fmt.Errorf("rule for %s: %w", r.name(), err)
	}
	for i, m := range r.Args {
		if err := m.validate(); err != nil {
			return fmt.Errorf("rule for %s: argument match %d: %w", r.name(), i, err)
		}
	}
	return nil
}

// name is the rule's syscall for messages.
func (r Rule) name() string {
	if r.Syscall != "" {
		return r.Syscall
	}
	return fmt.Sprintf("syscall %d", r.Nr)
}

// validate checks one argument match.
func (m ArgMatch) validate() error {
	switch {
	case m.Index < 0 || m.Index >= maxArgs:
		return fmt.Errorf("argument index %d is out of range 0..%d", m.Index, maxArgs-1)
	case m.Mask == 0:
		return fmt.Errorf("arg%d: Mask is zero; use Int32 for int arguments or Int64", m.Index)
	case m.Value&^m.Mask != 0:
		return fmt.Errorf("arg%d: Value %#x has bits outside Mask %#x", m.Index, m.Value, m.Mask)
	case m.Op < Equal || m.Op > AnyBitsSet:
		return fmt.Errorf("arg%d: unknown comparison %v", m.Index, m.Op)
	case m.Op == AnyBitsSet && m.Value == 0:
		return fmt.Errorf("arg%d: AnyBitsSet with Value 0 can never match", m.Index)
	}
	return nil
}
