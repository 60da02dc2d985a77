package seccomp

import "golang.org/x/net/bpf"

// half is the part of an argument match that one 32-bit word decides.
type half struct {
	off   uint32 // offset of the word in seccomp_data
	mask  uint32
	value uint32
}

// halves splits a match into its 32-bit words, leaving out words the mask
// does not touch.
func halves(m ArgMatch) []half {
	var hs []half
	if lo := uint32(m.Mask); lo != 0 {
		hs = append(hs, half{argLow(m.Index), lo, uint32(m.Value)})
	}
	if hi := uint32(m.Mask >> 32); hi != 0 {
		hs = append(hs, half{argHigh(m.Index), hi, uint32(m.Value >> 32)})
	}
	return hs
}

// emitMatch falls through when m holds and jumps to fail when it does not.
// It clobbers A.
func emitMatch(b *assembler, m ArgMatch, fail label) {
	switch m.Op {
	case Equal:
		emitEqual(b, halves(m), fail)
	case NotEqual:
		emitNotEqual(b, halves(m), fail)
	case AnyBitsSet:
		emitAnyBitsSet(b, halves(m), fail)
	}
}

// emitEqual: every word must be equal.
func emitEqual(b *assembler, hs []half, fail label) {
	for _, h := range hs {
		loadMasked(b, h)
		b.jumpIf(bpf.JumpEqual, h.value, next, fail)
	}
}

// emitNotEqual: one differing word is enough.
func emitNotEqual(b *assembler, hs []half, fail label) {
	ok := b.newLabel()
	for i, h := range hs {
		loadMasked(b, h)
		if i < len(hs)-1 {
			b.jumpIf(bpf.JumpEqual, h.value, next, ok)
		} else {
			b.jumpIf(bpf.JumpEqual, h.value, fail, next)
		}
	}
	b.bind(ok)
}

// emitAnyBitsSet: one set bit in any word is enough. Value lies within
// Mask, so the bits to test are the value's.
func emitAnyBitsSet(b *assembler, hs []half, fail label) {
	hs = withBits(hs)
	ok := b.newLabel()
	for i, h := range hs {
		b.load(h.off)
		if i < len(hs)-1 {
			b.jumpIf(bpf.JumpBitsSet, h.value, ok, next)
		} else {
			b.jumpIf(bpf.JumpBitsSet, h.value, next, fail)
		}
	}
	b.bind(ok)
}

// withBits keeps the words that have bits to test.
func withBits(hs []half) []half {
	var out []half
	for _, h := range hs {
		if h.value != 0 {
			out = append(out, h)
		}
	}
	return out
}

// loadMasked loads a word into A and keeps only the masked bits.
func loadMasked(b *assembler, h half) {
	b.load(h.off)
	if h.mask != 0xffffffff {
		b.emit(bpf.ALUOpConstant{Op: bpf.ALUOpAnd, Val: h.mask})
	}
}
