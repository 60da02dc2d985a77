//go:build linux

package seccomp

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/procjail/procjail/internal/testutil"
	"golang.org/x/sys/unix"
)

// int80Getpid calls getpid through the i386 system call entry (int $0x80).
// It returns the pid, or a negative errno.
func int80Getpid() int32

func init() {
	children["int80-control"] = func() error { return printInt80(false) }
	children["int80-filtered"] = func() error { return printInt80(true) }
	children["x32-control"] = func() error { return printX32(false) }
	children["x32-filtered"] = func() error { return printX32(true) }
}

// printInt80 prints the result of an i386 getpid and the real pid.
func printInt80(filtered bool) error {
	if err := confineForKill(filtered); err != nil {
		return err
	}
	fmt.Println(int80Getpid(), os.Getpid())
	return nil
}

// printX32 prints the outcome of getpid made through the x32 ABI.
func printX32(filtered bool) error {
	if err := confineForKill(filtered); err != nil {
		return err
	}
	_, _, e := unix.Syscall(x32Bit|unix.SYS_GETPID, 0, 0, 0)
	fmt.Println(errName(errnoOf(e)))
	return nil
}

// noCoreDump keeps a child that expects to be killed from writing a core
// file, whatever core_pattern says.
func noCoreDump() error {
	return unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0)
}

// killedBy returns the signal that killed the child, or 0.
func (c child) killedBy() syscall.Signal {
	ws := c.state.Sys().(syscall.WaitStatus)
	if !ws.Signaled() {
		return 0
	}
	return ws.Signal()
}

// confineForKill prepares a child that the filter should kill.
func confineForKill(filtered bool) error {
	if err := noCoreDump(); err != nil {
		return err
	}
	if !filtered {
		return lockAndNoNewPrivs()
	}
	return confineDefault()
}

// TestKernelKillsI386Syscalls makes an i386 system call with int $0x80
// from a 64-bit process: it must not reach the x86_64 rule table (where
// i386 numbers mean other calls and the default allows), so the filter
// kills the process.
func TestKernelKillsI386Syscalls(t *testing.T) {
	control := startChild(t, "int80-control", nil)
	f := strings.Fields(control.stdout)
	if !control.state.Success() || len(f) != 2 || f[0] != f[1] {
		testutil.Skip(t, testutil.MissingFeature, "ia32 emulation",
			fmt.Sprintf("int $0x80 getpid without a filter gave %q (%v): the kernel cannot run i386 system calls", control.stdout, control.state))
	}
	c := startChild(t, "int80-filtered", nil)
	if sig := c.killedBy(); sig != syscall.SIGSYS {
		t.Fatalf("i386 getpid under the filter: child ended with %v, printed %q; want killed by SIGSYS", c.state, c.stdout)
	}
}

// TestKernelKillsX32Syscalls makes an x32 system call: without the filter
// the kernel answers (ENOSYS when x32 is not built in), under it the process
// is killed.
func TestKernelKillsX32Syscalls(t *testing.T) {
	control := startChild(t, "x32-control", nil)
	control.mustSucceed(t)
	if out := strings.TrimSpace(control.stdout); out != "ENOSYS" {
		if _, err := strconv.Atoi(out); err != nil && out != "ok" {
			t.Fatalf("x32 getpid without a filter printed %q", control.stdout)
		}
	}
	c := startChild(t, "x32-filtered", nil)
	if sig := c.killedBy(); sig != syscall.SIGSYS {
		t.Fatalf("x32 getpid under the filter: child ended with %v, printed %q; want killed by SIGSYS", c.state, c.stdout)
	}
}
