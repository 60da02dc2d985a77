// Package bwrap builds the bubblewrap (bwrap(1)) command line of
// procjail's Bubblewrap strategy.
//
// [Build] is pure: it turns an [Input] (the filesystem view as an
// [fsview.Plan], the payload's argv and environment, ids, network choice
// and seccomp program) into a [Command] and touches nothing. [Probe] runs
// the same kind of command line with /bin/true to find out whether bwrap
// works here. [Command.OpenFiles] prepares the file descriptors a Command
// refers to.
//
// # The command line
//
// Every option goes through `--args 3`, a NUL-separated list read from
// fd 3: the host's process list then shows only `bwrap --args 3 --` and
// the payload's argv, never the payload's environment (which `--setenv`
// would otherwise put on the command line, readable by every host user).
// The options are:
//
//   - --unshare-all (user, ipc, pid, net, uts, cgroup) and --unshare-user
//     always; --share-net only when the network is not to be isolated.
//     bwrap brings the loopback interface up in the new network namespace.
//   - --disable-userns: nested user namespaces are refused inside
//     (bwrap >= 0.8); procjail's seccomp filter refuses them too.
//   - --die-with-parent: bwrap and the payload get SIGKILL when the
//     process that started bwrap dies. See "What the caller must do".
//   - --new-session: the payload cannot reach the caller's terminal with
//     TIOCSTI (CVE-2017-5226).
//   - --cap-drop ALL, --uid, --gid: the payload holds no capability, even
//     as uid 0 inside its user namespace.
//   - --hostname, --clearenv and one --setenv per variable, --chdir.
//   - --seccomp FD when a program is given: bwrap installs it last, just
//     before it execs the payload, after its own mounts.
//   - the view, op by op (below).
//
// bwrap itself stays PID 1 of the sandbox and reaps orphans (no
// --as-pid-1). The process the caller waits for is the outer bwrap, whose
// exit status is the payload's exit code, or 128+N when a signal N killed
// the payload: the two cannot be told apart from the status alone. The
// payload tree's usage must come from a cgroup around bwrap; wait4 on bwrap
// also works (bwrap's init reaps the whole tree, so its rusage holds every
// descendant) but includes bwrap's own small share.
//
// # The view
//
// The view is the same as the one the Unshare strategy builds from the
// same [fsview.Plan], as far as bwrap can express it:
//
//   - the root is `--size RootBytes --tmpfs /`, remounted read-only at the
//     end (`--remount-ro /`), as are the tmpfs mounts the plan seals;
//   - bind-ro and bind-rw become `--ro-bind-fd FD` and `--bind-fd FD`: the
//     caller opens each source with O_PATH without following any symlink
//     ([Command.OpenFiles]) and bwrap binds exactly that file, checking
//     that what it mounted is what the fd names. A symlink planted by an
//     earlier run in a work dir therefore cannot redirect a mount, as with
//     the Unshare strategy. Optional binds (host files of /etc that may be
//     missing) use `--ro-bind-try SRC` and `--bind-try SRC`, by path: bwrap
//     follows symlinks there, which only matters for paths the sandboxed
//     code could write, and optional binds never are such paths;
//   - device becomes `--dev-bind` (`--dev-bind-try` when optional);
//   - tmpfs becomes `--perms MODE --size SIZE --tmpfs TARGET`. bwrap cannot
//     mount a tmpfs noexec: a plan's noexec tmpfs is accepted only if it
//     is also sealed read-only (the plan's /dev, which then holds nothing
//     but device nodes and symlinks); otherwise Build fails;
//   - proc becomes `--proc`. proc-ro needs no option: bwrap re-binds
//     /proc/sys, sysrq-trigger, irq and bus read-only itself whenever the
//     sandbox user could write them, and under this package's command line
//     the payload is never host uid 0, so the kernel's own permission
//     checks keep it from writing the rest (/proc/fs included);
//   - symlink, dir and file become `--symlink`, `--perms MODE --dir` and
//     `--perms MODE --file FD`, the file's content passed on that fd.
//
// Every bind is nosuid and nodev (bwrap's own rule), except devices.
// bwrap applies no Landlock: the payload's view is its only filesystem
// boundary, as for the Unshare strategy before Landlock.
//
// # What the caller must do
//
//   - Start bwrap with an empty environment ([Command.Env]). bwrap's own
//     PID 1 inside the sandbox keeps the environment bwrap was started
//     with, and the payload can read it at /proc/1/environ: --clearenv
//     clears only the payload's.
//   - Pass [Command.ExtraFiles] as fds 3, 4, ... in order
//     ([Command.OpenFiles] makes them; exec.Cmd.ExtraFiles numbers them so)
//     and no other descriptor: bwrap does not close inherited descriptors,
//     so any fd the caller leaves open without close-on-exec reaches the
//     payload. bwrap closes the ones this package hands it.
//   - When [Command.Credential] is set (the caller is root), start bwrap
//     with that uid and gid and no supplementary groups. A root-started,
//     non-setuid bwrap would map the payload to host uid 0, where dropped
//     capabilities are not enough (some /proc/sys files are writable by
//     uid alone, setuid-root files could be planted in a writable work
//     dir, RLIMIT_NPROC does not apply to root).
//   - Keep the OS thread that starts bwrap alive while it runs: with
//     --die-with-parent, bwrap gets SIGKILL when its parent *thread* exits
//     (PR_SET_PDEATHSIG). A goroutine that locked its thread and returns
//     without unlocking ends that thread.
//   - Start bwrap in its own process group or session if it must be killed
//     as a whole; killing bwrap kills the sandbox (--die-with-parent, and
//     the pid namespace ends with its init).
package bwrap
