//go:build linux

package seccomp

import (
	"testing"

	"golang.org/x/sys/unix"
)

func TestActionValuesAreTheKernels(t *testing.T) {
	cases := []struct {
		got, want Action
	}{
		{Allow, unix.SECCOMP_RET_ALLOW},
		{Log, unix.SECCOMP_RET_LOG},
		{KillProcess, unix.SECCOMP_RET_KILL_PROCESS},
		{Errno(unix.EPERM), unix.SECCOMP_RET_ERRNO | 1},
		{Errno(unix.ENOSYS), unix.SECCOMP_RET_ERRNO | 38},
		{retErrno, unix.SECCOMP_RET_ERRNO},
		{retAction, unix.SECCOMP_RET_ACTION_FULL},
		{retData, unix.SECCOMP_RET_DATA},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%v is %#x, the kernel's value is %#x", c.got, uint32(c.got), uint32(c.want))
		}
	}
}

func TestActionString(t *testing.T) {
	cases := map[Action]string{
		Allow:                     "allow",
		Log:                       "log",
		KillProcess:               "kill-process",
		Errno(unix.EPERM):         "errno(EPERM)",
		Errno(unix.ENOSYS):        "errno(ENOSYS)",
		Errno(4000):               "errno(4000)",
		unix.SECCOMP_RET_TRAP | 1: "action(0x30001)",
	}
	for a, want := range cases {
		if got := a.String(); got != want {
			t.Errorf("Action(%#x).String() = %q, want %q", uint32(a), got, want)
		}
	}
}
