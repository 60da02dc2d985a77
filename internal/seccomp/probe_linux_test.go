//go:build linux && (amd64 || arm64)

package seccomp

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"
)

// badPtr is an address that is never mapped: system calls that read
// through it fail with EFAULT, before any permission check, so that without
// the filter they give an answer other than EPERM whoever the caller is.
const badPtr = uintptr(8)

// probe is one attack (or ordinary call) tried under the default filter.
type probe struct {
	name string
	call func() error
	// want is the outcome under the default filter.
	want string
	// denied says the filter decides the outcome: without the filter the
	// call must end differently, or the probe proves nothing.
	denied bool
	// sideEffects: the call is not made without the filter.
	sideEffects bool
}

func sys(nr uintptr, args ...uintptr) func() error {
	return func() error {
		a := make([]uintptr, 6)
		copy(a, args)
		_, _, e := unix.Syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5])
		return errnoOf(e)
	}
}

func probes() []probe {
	const buf = badPtr // fd 0 is /dev/null: ENOTTY before the argument is read
	pid := uintptr(os.Getpid())
	nested, _ := Compile(nil, Allow)
	return []probe{
		{name: "unshare(CLONE_NEWUSER)", call: sys(unix.SYS_UNSHARE, unix.CLONE_NEWUSER), want: "EPERM", denied: true},
		{name: "mount", call: sys(unix.SYS_MOUNT, badPtr, badPtr, badPtr, 0, 0), want: "EPERM", denied: true},
		{name: "ioctl(0, TIOCSTI)", call: sys(unix.SYS_IOCTL, 0, unix.TIOCSTI, buf), want: "EPERM", denied: true},
		{name: "ioctl(0, TIOCSTI|1<<32)", call: sys(unix.SYS_IOCTL, 0, unix.TIOCSTI|1<<32, buf), want: "EPERM", denied: true},
		{name: "ioctl(0, TIOCLINUX|1<<32)", call: sys(unix.SYS_IOCTL, 0, unix.TIOCLINUX|1<<32, buf), want: "EPERM", denied: true},
		{name: "ioctl(0, TCGETS) reaches the kernel", call: sys(unix.SYS_IOCTL, 0, unix.TCGETS, buf), want: "ENOTTY"},
		{name: "keyctl", call: sys(unix.SYS_KEYCTL, 0x7fff), want: "EPERM", denied: true},
		{name: "add_key", call: sys(unix.SYS_ADD_KEY, badPtr, badPtr, 0, 0, 0), want: "EPERM", denied: true},
		{name: "ptrace(PTRACE_TRACEME)", call: sys(unix.SYS_PTRACE, unix.PTRACE_TRACEME), want: "EPERM", denied: true, sideEffects: true},
		{name: "ptrace(PTRACE_CONT, self)", call: sys(unix.SYS_PTRACE, unix.PTRACE_CONT, pid), want: "EPERM", denied: true},
		{name: "process_vm_readv(self)", call: sys(unix.SYS_PROCESS_VM_READV, pid, 0, 0, 0, 0, 0), want: "EPERM", denied: true},
		{name: "pidfd_getfd", call: sys(unix.SYS_PIDFD_GETFD, ^uintptr(0), 0, 0), want: "EPERM", denied: true},
		{name: "kcmp(self, self, KCMP_VM)", call: sys(unix.SYS_KCMP, pid, pid, 1, 0, 0), want: "EPERM", denied: true},
		{name: "io_uring_setup", call: sys(unix.SYS_IO_URING_SETUP, 1, badPtr), want: "EPERM", denied: true},
		{name: "bpf", call: sys(unix.SYS_BPF, 0x7fff, 0, 0), want: "EPERM", denied: true},
		{name: "perf_event_open", call: sys(unix.SYS_PERF_EVENT_OPEN, badPtr, 0, ^uintptr(0), ^uintptr(0), 0), want: "EPERM", denied: true},
		{name: "userfaultfd", call: sys(unix.SYS_USERFAULTFD, 1|0x8000), want: "EPERM", denied: true},
		{name: "clone(CLONE_NEWUSER|CLONE_FS)", call: sys(unix.SYS_CLONE, unix.CLONE_NEWUSER|unix.CLONE_FS), want: "EPERM", denied: true},
		{name: "clone(CLONE_NEWUSER|CLONE_FS|1<<32)", call: sys(unix.SYS_CLONE, unix.CLONE_NEWUSER|unix.CLONE_FS|1<<32), want: "EPERM", denied: true},
		{name: "clone3", call: sys(unix.SYS_CLONE3, 0, 0), want: "ENOSYS", denied: true},
		{name: "setns", call: sys(unix.SYS_SETNS, ^uintptr(0), 0), want: "EPERM", denied: true},
		{name: "chroot", call: sys(unix.SYS_CHROOT, badPtr), want: "EPERM", denied: true},
		{name: "fsopen", call: sys(unix.SYS_FSOPEN, badPtr, 0), want: "EPERM", denied: true},
		{name: "name_to_handle_at", call: sys(unix.SYS_NAME_TO_HANDLE_AT, ^uintptr(99), badPtr, badPtr, badPtr, 0), want: "EPERM", denied: true},
		{name: "reboot (bad magic)", call: sys(unix.SYS_REBOOT, 0, 0, 0, 0), want: "EPERM", denied: true},
		{name: "personality(ADDR_NO_RANDOMIZE)", call: sys(unix.SYS_PERSONALITY, 0x0040000), want: "EPERM", denied: true},
		{name: "personality(query)", call: sys(unix.SYS_PERSONALITY, 0xffffffff), want: "ok"},
		{name: "pidfd_open(self)", call: pidfdOpenSelf, want: "ok"},
		{name: "seccomp: a nested filter", call: func() error { return Install(nested) }, want: "ok"},
	}
}

func pidfdOpenSelf() error {
	fd, err := unix.PidfdOpen(os.Getpid(), 0)
	if err == nil {
		unix.Close(fd)
	}
	return err
}

func init() {
	children["probe-filtered"] = func() error { return runProbes(true) }
	children["probe-control"] = func() error { return runProbes(false) }
}

// runProbes reads the filter from fd 3 (as procjail's init stage gets it
// from its parent), installs it unless this is the control run, and prints
// every probe's outcome as JSON.
func runProbes(filtered bool) error {
	b, err := io.ReadAll(os.NewFile(3, "filter"))
	if err != nil {
		return fmt.Errorf("reading the filter: %w", err)
	}
	prog, err := Decode(b)
	if err != nil {
		return err
	}
	if !filtered {
		prog = nil
	}
	if err := confineMaybe(prog); err != nil {
		return err
	}
	out := map[string]string{}
	for _, p := range probes() {
		if filtered || !p.sideEffects {
			out[p.name] = errName(p.call())
		}
	}
	return json.NewEncoder(os.Stdout).Encode(out)
}

// confineMaybe confines with prog, or does everything but Install when
// prog is nil.
func confineMaybe(prog []SockFilter) error {
	if prog != nil {
		return confine(prog)
	}
	return lockAndNoNewPrivs()
}

func runProbeChild(t *testing.T, mode string) map[string]string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	filter := Encode(mustCompile(t, DefaultRules(), Allow))
	go func() {
		w.Write(filter)
		w.Close()
	}()
	c := startChild(t, mode, func(cmd *exec.Cmd) { cmd.ExtraFiles = []*os.File{r} })
	r.Close()
	c.mustSucceed(t)
	var got map[string]string
	if err := json.Unmarshal([]byte(c.stdout), &got); err != nil {
		t.Fatalf("child output %q: %v", c.stdout, err)
	}
	return got
}

// TestKernelDeniesAttacks installs the default filter in a real process
// (passed as bytes over a pipe, as procjail does) and makes the attacks.
// A control run without the filter shows each probe would otherwise end
// differently.
func TestKernelDeniesAttacks(t *testing.T) {
	got := runProbeChild(t, "probe-filtered")
	want := map[string]string{}
	for _, p := range probes() {
		want[p.name] = p.want
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("outcomes under the default filter (-want +got):\n%s", diff)
	}
	control := runProbeChild(t, "probe-control")
	for _, p := range probes() {
		if !p.denied || p.sideEffects {
			continue
		}
		if control[p.name] == p.want {
			t.Logf("%s: also %s without the filter for this caller; the probe proves nothing here", p.name, p.want)
		}
	}
	t.Logf("without the filter: %v", control)
}
