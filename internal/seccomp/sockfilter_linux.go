package seccomp

import "golang.org/x/sys/unix"

// SockFilter is one classic BPF instruction in the kernel's struct
// sock_filter layout. On Linux it is [unix.SockFilter].
type SockFilter = unix.SockFilter
