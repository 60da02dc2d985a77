package seccomp

import "golang.org/x/sys/unix"

// personality values that stay allowed.
const (
	perLinux   = 0x0000     // PER_LINUX: the default persona
	perLinux32 = 0x0008     // PER_LINUX32: uname reports a 32-bit machine
	perQuery   = 0xffffffff // not a persona: returns the current one
)

// cloneNewFlags are the namespace flags clone(2) accepts in its 32-bit
// flags word. CLONE_NEWTIME (0x80) is left out: in clone(2) that bit is
// part of the exit signal, so only clone3 and unshare can request it.
const cloneNewFlags = unix.CLONE_NEWNS | unix.CLONE_NEWCGROUP | unix.CLONE_NEWUTS |
	unix.CLONE_NEWIPC | unix.CLONE_NEWUSER | unix.CLONE_NEWPID | unix.CLONE_NEWNET

// entry is one line of the default table: the same action and reason for
// one or more system calls.
type entry struct {
	names  []string
	args   []ArgMatch
	action Action
	reason string
}

var (
	eperm  = Errno(unix.EPERM)
	enosys = Errno(unix.ENOSYS)
)

// DefaultRules returns procjail's default deny table, to compile over a
// default of [Allow]. Rules for system calls that do not exist on the build
// architecture are left out; the result is empty where the filter is
// unsupported. Each call returns a fresh slice the caller may change.
func DefaultRules() []Rule {
	var rules []Rule
	for _, e := range defaultTable() {
		for _, name := range e.names {
			nr, ok := lookup(name)
			if !ok {
				continue
			}
			args := append([]ArgMatch(nil), e.args...)
			rules = append(rules, Rule{Syscall: name, Nr: nr, Args: args, Action: e.action, Reason: e.reason})
		}
	}
	return rules
}

// defaultTable is the policy, one concern per entry. Keep it readable: it is
// what a reviewer audits.
func defaultTable() []entry {
	return []entry{
		{names: []string{"ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd", "kcmp"}, action: eperm,
			reason: "reads or changes another process's memory, registers or file descriptors: the way out of a sandbox through a sibling or the launcher, and a long history of kernel bugs"},
		{names: []string{"mount", "umount2", "move_mount", "open_tree", "open_tree_attr", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr", "pivot_root", "chroot"}, action: eperm,
			reason: "changes the filesystem layout: could uncover what the sandbox's mounts hide, and filesystem mount code is a large kernel attack surface"},
		{names: []string{"unshare", "setns"}, action: eperm,
			reason: "creates or joins namespaces: a new user namespace grants capabilities over fresh namespaces and exposes kernel code otherwise reserved to root"},
		{names: []string{"clone"}, action: eperm, args: []ArgMatch{{Index: 0, Mask: Int32, Value: cloneNewFlags, Op: AnyBitsSet}},
			reason: "clone with a CLONE_NEW* flag creates namespaces like unshare; the flags are compared on their low 32 bits, which is all the kernel reads"},
		{names: []string{"clone3"}, action: enosys,
			reason: "clone3 takes its flags in memory that seccomp cannot read, so namespace flags cannot be told apart; ENOSYS makes libc fall back to clone, which is checked"},
		{names: []string{"add_key", "request_key", "keyctl"}, action: eperm,
			reason: "kernel keyrings are not namespaced: keys could be read or planted across sandboxes, and keyctl has been a source of kernel bugs"},
		{names: []string{"bpf", "perf_event_open", "userfaultfd"}, action: eperm,
			reason: "eBPF, perf events and userfaultfd are favourite tools of kernel exploits (verifier bugs, side channels, race widening) and no sandboxed runtime needs them"},
		{names: []string{"io_uring_setup", "io_uring_enter", "io_uring_register"}, action: eperm,
			reason: "io_uring carries out file and network operations that seccomp never sees, and has been a rich source of kernel bugs; runtimes fall back to ordinary system calls"},
		{names: []string{"kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module"}, action: eperm,
			reason: "loads kernel code or a new kernel"},
		{names: []string{"acct", "swapon", "swapoff", "reboot", "syslog", "quotactl", "quotactl_fd", "nfsservctl", "lookup_dcookie", "vhangup", "sysfs", "_sysctl", "uselib"}, action: eperm,
			reason: "system administration or obsolete interfaces: no sandboxed program needs them, syslog reads the kernel log (addresses, other users' events)"},
		{names: []string{"settimeofday", "clock_settime", "clock_adjtime", "adjtimex"}, action: eperm,
			reason: "sets the system clock; the read-only forms of adjtimex and clock_adjtime cannot be told apart (their mode is in memory) and are collateral"},
		{names: []string{"iopl", "ioperm", "modify_ldt"}, action: eperm,
			reason: "direct hardware I/O ports and custom segment descriptors (x86 only): raw hardware access and a known source of kernel bugs"},
		{names: []string{"open_by_handle_at", "name_to_handle_at"}, action: eperm,
			reason: "file handles open files by inode, bypassing paths and mounts: the classic container escape (shocker)"},
		{names: []string{"fanotify_init"}, action: eperm,
			reason: "filesystem-wide event monitoring could watch files outside the sandbox"},
		{names: []string{"ioctl"}, action: eperm, args: []ArgMatch{{Index: 1, Mask: Int32, Value: unix.TIOCSTI, Op: Equal}},
			reason: "TIOCSTI pushes characters into a terminal's input: code could type commands into the user's shell; compared on the low 32 bits, which is all the kernel reads"},
		{names: []string{"ioctl"}, action: eperm, args: []ArgMatch{{Index: 1, Mask: Int32, Value: unix.TIOCLINUX, Op: Equal}},
			reason: "TIOCLINUX can paste a virtual console's selection into its input, like TIOCSTI; compared on the low 32 bits"},
		{names: []string{"personality"}, action: eperm, args: []ArgMatch{
			{Index: 0, Mask: Int32, Value: perLinux, Op: NotEqual},
			{Index: 0, Mask: Int32, Value: perLinux32, Op: NotEqual},
			{Index: 0, Mask: Int32, Value: perQuery, Op: NotEqual}},
			reason: "persona flags such as ADDR_NO_RANDOMIZE and READ_IMPLIES_EXEC weaken ASLR and NX for programs exec'd later; PER_LINUX, PER_LINUX32 and the 0xffffffff query stay allowed"},
		{names: []string{"seccomp"}, action: Allow,
			reason: "installing a further filter can only add restrictions (the kernel applies every filter and takes the strictest answer), so nested sandboxes keep working"},
	}
}
