//go:build linux && (amd64 || arm64)

package seccomp

import (
	"maps"
	"slices"
	"testing"

	"golang.org/x/sys/unix"
)

// deniedByBrief is every system call the default policy must deny when it
// exists on the build architecture.
var deniedByBrief = []string{
	"ptrace", "process_vm_readv", "process_vm_writev", "mount", "umount2", "move_mount",
	"open_tree", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr", "pivot_root",
	"chroot", "unshare", "setns", "clone", "clone3", "add_key", "request_key", "keyctl", "bpf",
	"perf_event_open", "userfaultfd", "io_uring_setup", "io_uring_enter", "io_uring_register",
	"kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
	"open_by_handle_at", "name_to_handle_at", "ioctl", "acct", "swapon", "swapoff", "reboot",
	"syslog", "settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "iopl", "ioperm",
	"quotactl", "lookup_dcookie", "vhangup", "nfsservctl", "personality", "uselib", "sysfs",
	"_sysctl", "kcmp", "fanotify_init",
}

func TestDefaultRulesCoverThePolicy(t *testing.T) {
	byName := map[string]bool{}
	for _, r := range DefaultRules() {
		byName[r.Syscall] = true
		if r.Reason == "" {
			t.Errorf("rule for %s has no Reason", r.Syscall)
		}
	}
	for _, name := range deniedByBrief {
		if _, exists := lookup(name); exists && !byName[name] {
			t.Errorf("DefaultRules has no rule for %s", name)
		}
	}
}

func TestDefaultRulesReturnsAFreshSlice(t *testing.T) {
	first := DefaultRules()
	for i := range first {
		first[i].Action = Allow
		for j := range first[i].Args {
			first[i].Args[j].Value = 0
		}
	}
	for _, r := range DefaultRules() {
		if r.Syscall != "seccomp" && r.Action == Allow {
			t.Fatalf("changing one DefaultRules result changed the next: %s is now allowed", r.Syscall)
		}
		for _, m := range r.Args {
			if m.Value == 0 && m.Op != NotEqual {
				t.Fatalf("changing one DefaultRules result changed the next: %s's Args", r.Syscall)
			}
		}
	}
}

// TestDefaultRulesEachDenied runs every rule without argument conditions
// through the compiled default program, with all-zero and all-ones
// arguments. Rules with argument conditions are covered case by case in
// TestDefaultPolicyCases.
func TestDefaultRulesEachDenied(t *testing.T) {
	rules := DefaultRules()
	m := newVM(t, mustCompile(t, rules, Allow))
	withArgs := map[string]bool{}
	for _, r := range rules {
		if len(r.Args) > 0 {
			withArgs[r.Syscall] = true
			continue
		}
		for _, a := range []uint64{0, ^uint64(0)} {
			if got := m.run(t, auditArch, r.Nr, a, a, a, a, a, a); got != r.Action {
				t.Errorf("%s(args %#x): got %v, want %v", r.Syscall, a, got, r.Action)
			}
		}
	}
	want := []string{"clone", "ioctl", "personality"}
	if got := slices.Sorted(maps.Keys(withArgs)); !slices.Equal(got, want) {
		t.Errorf("rules with argument conditions are for %v; TestDefaultPolicyCases covers %v: add cases", got, want)
	}
}

type policyCase struct {
	name string
	nr   uint32
	args []uint64
	want Action
}

var (
	eP = Errno(unix.EPERM)
	eN = Errno(unix.ENOSYS)
)

func TestDefaultPolicyCases(t *testing.T) {
	m := newVM(t, mustCompile(t, DefaultRules(), Allow))
	for _, c := range defaultPolicyCases() {
		if got := m.run(t, auditArch, c.nr, c.args...); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

func defaultPolicyCases() []policyCase {
	var cs []policyCase
	cs = append(cs, allowedCases()...)
	cs = append(cs, cloneCases()...)
	cs = append(cs, ioctlCases()...)
	cs = append(cs, personalityCases()...)
	return cs
}

func allowedCases() []policyCase {
	return []policyCase{
		{"read", unix.SYS_READ, nil, Allow},
		{"write", unix.SYS_WRITE, []uint64{1, 0, 10}, Allow},
		{"openat", unix.SYS_OPENAT, []uint64{uint64(0xffffffffffffff9c), 0, unix.O_RDONLY}, Allow},
		{"execve", unix.SYS_EXECVE, nil, Allow},
		{"mmap", unix.SYS_MMAP, nil, Allow},
		{"getpid", unix.SYS_GETPID, nil, Allow},
		{"pidfd_open", unix.SYS_PIDFD_OPEN, []uint64{1, 0}, Allow},
		{"pidfd_send_signal", unix.SYS_PIDFD_SEND_SIGNAL, nil, Allow},
		{"waitid(P_PIDFD)", unix.SYS_WAITID, []uint64{unix.P_PIDFD, 3}, Allow},
		{"prctl(NO_NEW_PRIVS)", unix.SYS_PRCTL, []uint64{unix.PR_SET_NO_NEW_PRIVS, 1}, Allow},
		{"seccomp (nested filters only restrict)", unix.SYS_SECCOMP, []uint64{unix.SECCOMP_SET_MODE_FILTER}, Allow},
		{"clone3", unix.SYS_CLONE3, nil, eN},
		{"ptrace(TRACEME)", unix.SYS_PTRACE, []uint64{unix.PTRACE_TRACEME}, eP},
		{"nr -1", noSyscall, nil, Allow},
	}
}

func cloneCases() []policyCase {
	const thread = unix.CLONE_VM | unix.CLONE_FS | unix.CLONE_FILES | unix.CLONE_SIGHAND |
		unix.CLONE_THREAD | unix.CLONE_SYSVSEM | unix.CLONE_SETTLS | unix.CLONE_PARENT_SETTID | unix.CLONE_CHILD_CLEARTID
	cs := []policyCase{
		{"clone(SIGCHLD) (fork)", unix.SYS_CLONE, []uint64{uint64(unix.SIGCHLD)}, Allow},
		{"clone(thread flags)", unix.SYS_CLONE, []uint64{thread}, Allow},
		{"clone(VFORK|VM|PIDFD|SIGCHLD) (Go's os/exec)", unix.SYS_CLONE, []uint64{unix.CLONE_VFORK | unix.CLONE_VM | unix.CLONE_PIDFD | uint64(unix.SIGCHLD)}, Allow},
		{"clone(1<<32|SIGCHLD): the kernel ignores high bits", unix.SYS_CLONE, []uint64{1<<32 | uint64(unix.SIGCHLD)}, Allow},
		{"clone(NEWUSER|1<<32)", unix.SYS_CLONE, []uint64{unix.CLONE_NEWUSER | 1<<32}, eP},
		{"clone(NEWNET|0xffffffff<<32|SIGCHLD)", unix.SYS_CLONE, []uint64{unix.CLONE_NEWNET | 0xffffffff<<32 | uint64(unix.SIGCHLD)}, eP},
		{"clone(all NEW flags)", unix.SYS_CLONE, []uint64{cloneNewFlags}, eP},
	}
	for _, f := range []struct {
		name string
		flag uint64
	}{{"NEWNS", unix.CLONE_NEWNS}, {"NEWCGROUP", unix.CLONE_NEWCGROUP}, {"NEWUTS", unix.CLONE_NEWUTS},
		{"NEWIPC", unix.CLONE_NEWIPC}, {"NEWUSER", unix.CLONE_NEWUSER}, {"NEWPID", unix.CLONE_NEWPID}, {"NEWNET", unix.CLONE_NEWNET}} {
		cs = append(cs, policyCase{"clone(" + f.name + "|SIGCHLD)", unix.SYS_CLONE, []uint64{f.flag | uint64(unix.SIGCHLD)}, eP})
	}
	return cs
}

func ioctlCases() []policyCase {
	return []policyCase{
		{"ioctl(TIOCSTI)", unix.SYS_IOCTL, []uint64{0, unix.TIOCSTI}, eP},
		{"ioctl(TIOCSTI|1<<32)", unix.SYS_IOCTL, []uint64{0, unix.TIOCSTI | 1<<32}, eP},
		{"ioctl(TIOCSTI|0xffffffff<<32)", unix.SYS_IOCTL, []uint64{7, unix.TIOCSTI | 0xffffffff<<32}, eP},
		{"ioctl(TIOCLINUX)", unix.SYS_IOCTL, []uint64{0, unix.TIOCLINUX}, eP},
		{"ioctl(TIOCLINUX|1<<40)", unix.SYS_IOCTL, []uint64{0, unix.TIOCLINUX | 1<<40}, eP},
		{"ioctl(TCGETS)", unix.SYS_IOCTL, []uint64{0, unix.TCGETS}, Allow},
		{"ioctl(TCGETS|1<<32)", unix.SYS_IOCTL, []uint64{0, unix.TCGETS | 1<<32}, Allow},
		{"ioctl(TIOCGWINSZ)", unix.SYS_IOCTL, []uint64{1, unix.TIOCGWINSZ}, Allow},
		{"ioctl(TIOCINQ)", unix.SYS_IOCTL, []uint64{3, unix.TIOCINQ}, Allow},
		{"ioctl(fd TIOCSTI, cmd TCGETS): only cmd counts", unix.SYS_IOCTL, []uint64{unix.TIOCSTI, unix.TCGETS}, Allow},
	}
}

func personalityCases() []policyCase {
	const addrNoRandomize, readImpliesExec = 0x0040000, 0x0400000
	return []policyCase{
		{"personality(PER_LINUX)", unix.SYS_PERSONALITY, []uint64{0}, Allow},
		{"personality(PER_LINUX32)", unix.SYS_PERSONALITY, []uint64{8}, Allow},
		{"personality(query 0xffffffff)", unix.SYS_PERSONALITY, []uint64{0xffffffff}, Allow},
		{"personality(query, high bits set)", unix.SYS_PERSONALITY, []uint64{^uint64(0)}, Allow},
		{"personality(1<<32): the kernel sees PER_LINUX", unix.SYS_PERSONALITY, []uint64{1 << 32}, Allow},
		{"personality(ADDR_NO_RANDOMIZE)", unix.SYS_PERSONALITY, []uint64{addrNoRandomize}, eP},
		{"personality(READ_IMPLIES_EXEC)", unix.SYS_PERSONALITY, []uint64{readImpliesExec}, eP},
		{"personality(ADDR_NO_RANDOMIZE|1<<32)", unix.SYS_PERSONALITY, []uint64{addrNoRandomize | 1<<32}, eP},
		{"personality(0xfffffffe)", unix.SYS_PERSONALITY, []uint64{0xfffffffe}, eP},
	}
}

func TestForeignArchIsKilled(t *testing.T) {
	m := newVM(t, mustCompile(t, DefaultRules(), Allow))
	arches := []uint32{unix.AUDIT_ARCH_I386, unix.AUDIT_ARCH_ARM, unix.AUDIT_ARCH_X86_64, unix.AUDIT_ARCH_AARCH64, 0, 0xffffffff}
	for _, arch := range arches {
		if arch == auditArch {
			continue
		}
		for _, nr := range []uint32{0, 1, 20, unix.SYS_GETPID, unix.SYS_PTRACE, 0x40000000} {
			if got := m.run(t, arch, nr); got != KillProcess {
				t.Errorf("arch %#x nr %d: got %v, want kill-process", arch, nr, got)
			}
		}
	}
}

func TestX32IsKilled(t *testing.T) {
	m := newVM(t, mustCompile(t, DefaultRules(), Allow))
	want := KillProcess
	if !hasX32 {
		want = Allow // no x32 ABI: such numbers are just unknown syscalls (ENOSYS)
	}
	for _, nr := range []uint32{x32Bit | unix.SYS_READ, x32Bit | unix.SYS_GETPID, x32Bit | unix.SYS_PTRACE, x32Bit | 512, 0x7fffffff, 0x80000000} {
		if got := m.run(t, auditArch, nr); got != want {
			t.Errorf("nr %#x: got %v, want %v", nr, got, want)
		}
	}
}

// TestDefaultActionIsUsed compiles the default table over a different
// default and checks that unlisted calls get it while listed ones keep
// their own action.
func TestDefaultActionIsUsed(t *testing.T) {
	m := newVM(t, mustCompile(t, DefaultRules(), Errno(unix.ENOSYS)))
	cases := []policyCase{
		{"read", unix.SYS_READ, nil, eN},
		{"ptrace", unix.SYS_PTRACE, nil, eP},
		{"ioctl(TCGETS)", unix.SYS_IOCTL, []uint64{0, unix.TCGETS}, eN},
		{"seccomp (explicitly allowed)", unix.SYS_SECCOMP, nil, Allow},
	}
	for _, c := range cases {
		if got := m.run(t, auditArch, c.nr, c.args...); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}
