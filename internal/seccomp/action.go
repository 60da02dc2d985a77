package seccomp

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// Action is what the filter returns for a system call: one of the kernel's
// SECCOMP_RET_* values, with the errno in the low 16 bits for [Errno].
type Action uint32

// The actions a procjail filter uses. Their values are the kernel's
// SECCOMP_RET_* constants, spelled out so that the package also builds
// where golang.org/x/sys/unix does not define them.
const (
	// Allow lets the system call run (SECCOMP_RET_ALLOW).
	Allow Action = 0x7fff0000
	// Log lets the system call run and writes an audit record
	// (SECCOMP_RET_LOG).
	Log Action = 0x7ffc0000
	// KillProcess kills the whole process with SIGSYS
	// (SECCOMP_RET_KILL_PROCESS).
	KillProcess Action = 0x80000000

	retErrno  Action = 0x00050000 // SECCOMP_RET_ERRNO
	retAction Action = 0xffff0000 // SECCOMP_RET_ACTION_FULL
	retData   Action = 0x0000ffff // SECCOMP_RET_DATA
	maxErrno         = 4095       // the kernel's MAX_ERRNO
)

// Errno makes the system call fail with errno e without running it
// (SECCOMP_RET_ERRNO). e must be between 1 and 4095; [Compile] rejects
// anything else.
func Errno(e unix.Errno) Action {
	return retErrno | Action(uint32(e)&uint32(retData))
}

// String names the action, for reports and error messages:
// "allow", "log", "kill-process" or "errno(EPERM)".
func (a Action) String() string {
	switch a {
	case Allow:
		return "allow"
	case Log:
		return "log"
	case KillProcess:
		return "kill-process"
	}
	if a&retAction == retErrno {
		return "errno(" + errnoName(unix.Errno(a&retData)) + ")"
	}
	return fmt.Sprintf("action(%#x)", uint32(a))
}

// validate reports whether the filter may return a.
func (a Action) validate() error {
	switch a {
	case Allow, Log, KillProcess:
		return nil
	}
	if a&retAction != retErrno {
		return fmt.Errorf("unsupported seccomp action %#x: use Allow, Log, KillProcess or Errno", uint32(a))
	}
	if e := a & retData; e == 0 || e > maxErrno {
		return fmt.Errorf("seccomp action errno(%d): errno must be between 1 and %d (errno 0 would fake success)", e, maxErrno)
	}
	return nil
}

func errnoName(e unix.Errno) string {
	if n := unix.ErrnoName(e); n != "" {
		return n
	}
	return fmt.Sprintf("%d", uint32(e))
}
