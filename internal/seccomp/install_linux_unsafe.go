//go:build linux

package seccomp

import (
	"runtime"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Install loads prog as a seccomp filter on the calling thread only, with
// seccomp(SECCOMP_SET_MODE_FILTER, 0, ...): no TSYNC, so the process's other
// threads are not filtered.
//
// The caller must
//   - have set no_new_privs already (unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1,
//     0, 0, 0)), unless it holds CAP_SYS_ADMIN; Install does not set it;
//   - hold its goroutine on the thread with runtime.LockOSThread before the
//     call and never unlock it, and start the sandboxed program (fork and
//     exec, e.g. os/exec) from that same goroutine: children inherit the
//     filter of the thread that creates them.
//
// A filter cannot be removed; a later Install adds another one.
func Install(prog []SockFilter) error {
	if err := checkLen(len(prog)); err != nil {
		return installError(err)
	}
	fp := unix.SockFprog{Len: uint16(len(prog)), Filter: &prog[0]}
	_, _, errno := unix.Syscall(unix.SYS_SECCOMP, unix.SECCOMP_SET_MODE_FILTER, 0, uintptr(unsafe.Pointer(&fp)))
	runtime.KeepAlive(prog)
	if errno != 0 {
		return installError(errno)
	}
	return nil
}
