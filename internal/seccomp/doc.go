// Package seccomp builds and installs procjail's seccomp filter.
//
// A filter is described as data: a table of [Rule] values, one per denied
// syscall (or per argument pattern of a syscall), each with a human reason.
// [Compile] turns the table into a classic BPF program for the kernel,
// [Encode] and [Decode] move that program through a pipe or to
// `bwrap --seccomp FD`, and [Install] loads it on the calling thread.
//
// # Policy
//
// [DefaultRules] is a deny-list over a default of ALLOW. The sandboxed code
// is a real runtime (node, python, a shell, a Go binary) running arbitrary
// programs, so an allow-list would either break them or be so wide that it
// denies little. The filter instead removes the kernel attack surface that
// ordinary programs never touch and that hostile code uses to escape or to
// reach weak spots of the kernel: namespaces and mounts, ptrace and other
// cross-process access, keyrings, eBPF, perf, io_uring, userfaultfd, kernel
// modules and kexec, clock and system administration, terminal injection
// (TIOCSTI, TIOCLINUX), file handles, and personality flags that weaken
// ASLR. A denied call fails with EPERM, so programs see an ordinary
// permission error and can fall back; clone3 fails with ENOSYS because its
// flags live in memory that seccomp cannot read, and libc then falls back to
// clone, whose flags the filter can check.
//
// The network is not filtered here. A seccomp deny-list of network syscalls
// is unsound (io_uring, inherited sockets, sendmsg with fd passing...);
// procjail isolates the network with a network namespace instead.
//
// seccomp(2) itself stays allowed: a new filter can only add restrictions
// (the kernel runs every installed filter and takes the strictest answer),
// so nested sandboxes inside the jail keep working without weakening it.
//
// # Architectures
//
// The program first checks seccomp_data.arch. Only the native architecture
// of the build (x86_64 or aarch64) reaches the rule table; any other
// architecture, such as i386 system calls made with `int $0x80` from a
// 64-bit process or AArch32 compat calls, kills the process, because the
// rule table's syscall numbers mean nothing there and a default-ALLOW table
// would otherwise be bypassed. On x86_64, x32 system calls (numbers with bit
// 0x40000000 set) also kill the process. Argument tests on C int arguments
// (ioctl's request, clone's flags, personality) look at the low 32 bits
// only, as the kernel does, so setting high bits cannot slip past a match.
// On other architectures [Compile] returns an error wrapping
// [errors.ErrUnsupported].
//
// Only KILL_PROCESS is used for those architecture violations. Every denial
// in the rule table is an errno: Go's os package, for one, probes pidfd_open,
// waitid and clone(CLONE_PIDFD) and must see an error, never a kill.
//
// # Cost
//
// The rule table is a linear sequence of comparisons on the syscall number.
// Since Linux 5.11 the kernel caches, per syscall number, an ALLOW that
// does not depend on the arguments, so ordinary calls do not run the
// program at all; only the calls with argument rules (ioctl, clone,
// personality) and the denied ones are evaluated.
//
// # Installing
//
// [Install] applies the filter to the calling thread only (no TSYNC); the
// caller must have set no_new_privs, must hold the goroutine on its thread
// with [runtime.LockOSThread], and must start the sandboxed program from
// that same thread so that it inherits the filter across fork and exec.
package seccomp
