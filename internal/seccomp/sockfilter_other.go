//go:build !linux

package seccomp

// SockFilter is one classic BPF instruction in the kernel's struct
// sock_filter layout. On Linux it is unix.SockFilter.
type SockFilter struct {
	Code uint16
	Jt   uint8
	Jf   uint8
	K    uint32
}
