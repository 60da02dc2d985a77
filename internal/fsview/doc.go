// Package fsview builds the filesystem view of procjail's native (Unshare)
// strategy, and the Landlock rules that mirror it.
//
// The view is a security boundary: the code inside is hostile and knows
// it is sandboxed. It is built in two halves. [Build] runs in the parent,
// needs no privileges and turns a [Request] into a [Plan]: plain,
// JSON-serialisable data, validated by [Plan.Validate]. [Plan.Apply] runs
// in the re-executed stage, cloned into new user, mount and pid
// namespaces and holding CAP_SYS_ADMIN there; it re-validates the plan,
// builds the view, and leaves the stage inside it with "/" as working
// directory. [Plan.LandlockRules] and [ApplyLandlock] then restrict the
// thread that starts the payload to the same view.
//
// # How Apply builds the view
//
// The technique is bubblewrap's. In order, with what each step prevents:
//
//  1. Refuse to run in a mount namespace shared with init or with the
//     parent process: as root, Apply would otherwise rearrange the host's
//     own mounts.
//  2. Remount "/" recursively private. CLONE_NEWNS copies the mount tree
//     with its propagation; on a host where "/" is shared, mounts made
//     here would appear on the host, and host mounts in here.
//  3. Mount a small scratch tmpfs over an existing host directory (/tmp,
//     else /mnt, /run, /var/tmp) in our namespace only, create newroot and
//     oldroot in it, and pivot_root into it, the host's root at /oldroot.
//     Nothing is created on the host, so no predictable host path can be
//     raced (bubblewrap CVE-2019-12439).
//  4. Mount the view's root, an empty tmpfs (nosuid, nodev), on /newroot.
//     Every host path inside the view is there because a step put it
//     there.
//  5. Run the plan's steps (below). Each bind source is opened from
//     /oldroot one component at a time with O_PATH|O_NOFOLLOW, refusing
//     any symlink (magic links included), and is bound from
//     /proc/self/fd/N onto a mount point also held as an fd: a symlink
//     planted by an earlier run in a work dir cannot redirect a mount
//     (runc's 2025 mount CVEs, firejail CVE-2017-5180). Mount points are
//     created only on the view's own tmpfs mounts, never following
//     symlinks, and never inside a bound host directory (that would write
//     to the host).
//  6. Make /oldroot private again and detach it: no host path stays
//     reachable.
//  7. pivot_root(".", ".") into the view and detach the scratch root
//     stacked on it.
//  8. Remount /dev and then the root read-only: the payload cannot add
//     files beside the view's devices, replace /etc/passwd, or use the
//     root tmpfs to fill memory.
//
// Every mount is nosuid and nodev, except the device nodes (nosuid,
// noexec). Read-only binds are recursive, and every submount is
// remounted read-only too. A remount repeats the flags the kernel locks
// on mounts from a more privileged namespace (read via statfs), or it
// would fail with EPERM.
//
// # What the view contains
//
//   - /usr, read-only. /bin, /sbin, /lib, /lib32, /lib64, /libx32 as
//     symlinks when they are symlinks on the host (merged /usr), else as
//     read-only binds, when present.
//   - The runtime, if it lives outside those: the binary (every symlink on
//     its path recreated), its ELF interpreter and libraries ([ResolveELF]),
//     the interpreter of a "#!" script (recursively), and for node or
//     python installed under a prefix (…/bin/node with lib/node_modules,
//     …/bin/python3.11 with lib/python3.11, a venv's pyvenv.cfg) the whole
//     prefix, read-only. A runtime inside a caller-configured mount is the
//     sandboxed code's own: nothing is derived from it, and symlinks that
//     lead into a configured mount are not followed on the host.
//   - /etc, the view's own: passwd and group (root, the payload as
//     "sandbox" with home /tmp, nobody/nogroup), hostname, hosts
//     (localhost only) and nsswitch.conf (files only) are written; the
//     entries of [EtcShared] are bound read-only when present (the
//     loader's cache and configuration, /etc/alternatives through which
//     Debian resolves cc and awk, the TLS trust store, time zone, platform
//     identification, lookup tables, python's configuration). [EtcNever]
//     (shadow, sudoers, ssh, ssl/private, machine-id, files holding
//     registry credentials…) is never shown.
//   - The work dir at its host path, read-only unless writable; the
//     harness file read-only when no mount shows it; the configured
//     read-only and writable mounts.
//   - A private /tmp: tmpfs of Request.TmpBytes, mode 1777, so the host's
//     /tmp is neither seen nor filled; /var/tmp is a symlink to it.
//   - A fresh /proc of the sandbox's own pid namespace (other processes,
//     their environments and command lines are invisible), with /proc/sys,
//     /proc/sysrq-trigger, /proc/irq, /proc/bus and /proc/fs re-bound
//     read-only. No /sys.
//   - A minimal /dev on its own tmpfs, read-only once built: null, zero,
//     full, random, urandom bound from the host; fd, stdin, stdout, stderr
//     linking into /proc/self/fd; a private /dev/shm (min(TmpBytes,
//     64 MiB)). No tty (no TIOCSTI into a terminal), no ptmx, no disks.
//   - Nothing else: no /home, /root, /run, /var/run, /mnt, /media, no host
//     sockets. (A runtime installed under /root or /home brings the
//     directories leading to it, empty except for that path.)
//
// # Landlock
//
// [Plan.LandlockRules] grants, in sandbox paths: list-dir on the root;
// read-execute on read-only binds (system, runtime, work dir unless
// writable, configured read-only mounts, harness); read on /etc and
// /proc; read-write on /tmp, /dev/shm, writable mounts and a writable
// work dir; read, write, truncate and ioctl on /dev/null, /dev/zero,
// /dev/full; read on /dev/random and /dev/urandom. Read-write never
// includes mknod of devices or connecting to Unix sockets made outside
// the sandbox. A rule covers everything beneath its path, so a mount that
// lies under /tmp (a work dir in the host's /tmp) gets /tmp's rights from
// Landlock; its mount flags still make it read-only.
//
// [HostLandlockRules] is the same policy in host paths, for a strategy
// without a mount namespace: there is no private /tmp or /dev/shm there,
// so only the work dir (if writable) and the configured writable mounts
// can be written; /etc is granted file by file; the root is not listable.
//
// [ApplyLandlock] restricts the calling OS thread only, best effort, and
// reports exactly what it enforced ([LandlockReport]); see its doc for
// the thread rules.
package fsview
