// Package firejail builds the firejail(1) command line of procjail's
// Firejail strategy: the strongest one firejail allows, whatever the
// caller's uid.
//
// [Build] is pure: it turns an [Input] (the filesystem view as an
// [fsview.Plan], the payload's argv and environment, the host's
// top-level directory entries, limits) into a [Command]. [Probe] runs the
// same kind of command line with /bin/true to find out whether firejail
// works here. [ListRoot] reads the host entries Build needs.
//
// # The command line
//
// `firejail --profile=/proc/self/fd/3 -- ARGV...`, where fd 3 carries a
// generated profile ([Command.Profile]). --noprofile is never used: it
// would also turn off firejail's own protections. The profile asks for:
//
//   - a view: `private` (an empty tmpfs home), `private-tmp`,
//     `private-dev`, `private-etc` with the /etc entries the plan shows,
//     `whitelist` for every host path the plan binds outside the system
//     directories (work dir, harness, runtime prefix, configured mounts),
//     `read-only` for those bound read-only and for the system
//     directories; every other top-level directory of the host is emptied
//     (whitelisting a name that does not exist mounts an empty tmpfs over
//     its top directory, including /run, whose sockets would otherwise be
//     reachable), top-level files are blacklisted, /sys is blacklisted;
//   - `noroot` (a user namespace with only the caller's uid), `nogroups`,
//     `caps.drop all`, `nonewprivs`;
//   - `seccomp` (firejail's default list plus io_uring, kcmp and
//     pidfd_getfd), `seccomp.block-secondary` (no 32-bit system calls),
//     `restrict-namespaces`;
//   - `net none` (an empty network namespace with loopback) unless the
//     network is shared, `ipc-namespace`, `hostname`;
//   - no sound, 3D, DVD, TV, video, U2F or input devices, no D-Bus;
//   - rlimits from [Limits]: never an address-space limit (it breaks V8
//     and the JVM) and never --timeout (procjail keeps its own wall clock);
//   - `deterministic-exit-code` and `deterministic-shutdown`: firejail
//     exits with the payload's status and ends the sandbox, orphans
//     included, when the payload exits.
//
// # What the caller must do
//
//   - Start firejail with exactly the payload's environment
//     ([Command.Env]). firejail passes its own environment through to the
//     payload and has no way to clear it (--env only adds).
//   - Pass [Command.ExtraFiles] as fds 3, ... in order (firejail closes
//     every other inherited descriptor before it runs the payload).
//   - Start firejail in a new session (setsid) with no terminal on its
//     standard descriptors: firejail's seccomp filter cannot filter ioctl
//     arguments, so TIOCSTI is stopped only by the payload having no
//     terminal.
//   - Read [Command.Limitations] and report them: they are what this
//     strategy cannot enforce for this Input.
//
// firejail is setuid root and must be: unlike bwrap it cannot run on
// unprivileged user namespaces alone. A firejail bug is therefore a host
// root escalation, which is why procjail prefers its own Unshare strategy
// and bubblewrap.
package firejail
