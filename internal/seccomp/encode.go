package seccomp

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// insnSize is the size of struct sock_filter.
const insnSize = 8

// Encode returns the program as the kernel lays out an array of struct
// sock_filter, in native byte order (little-endian on every supported
// architecture). That is what `bwrap --seccomp FD` reads, and what [Decode]
// turns back into a program.
func Encode(prog []SockFilter) []byte {
	b := make([]byte, 0, len(prog)*insnSize)
	for _, in := range prog {
		b = binary.NativeEndian.AppendUint16(b, in.Code)
		b = append(b, in.Jt, in.Jf)
		b = binary.NativeEndian.AppendUint32(b, in.K)
	}
	return b
}

// Decode is the inverse of [Encode], for a program received over a pipe.
// It checks only the framing: the kernel validates the instructions when
// the program is installed.
func Decode(b []byte) ([]SockFilter, error) {
	if len(b)%insnSize != 0 {
		return nil, fmt.Errorf("seccomp: decoding a filter: %d bytes is not a whole number of %d-byte instructions (truncated?)", len(b), insnSize)
	}
	if err := checkLen(len(b) / insnSize); err != nil {
		return nil, fmt.Errorf("seccomp: decoding a filter: %w", err)
	}
	prog := make([]SockFilter, len(b)/insnSize)
	for i := range prog {
		w := b[i*insnSize:]
		prog[i] = SockFilter{
			Code: binary.NativeEndian.Uint16(w),
			Jt:   w[2],
			Jf:   w[3],
			K:    binary.NativeEndian.Uint32(w[4:]),
		}
	}
	return prog, nil
}

// checkLen checks a program's length against the kernel's limits.
func checkLen(n int) error {
	switch {
	case n == 0:
		return errors.New("the filter is empty")
	case n > maxInsns:
		return fmt.Errorf("the filter has %d instructions, more than the kernel's %d", n, maxInsns)
	}
	return nil
}
