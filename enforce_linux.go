package procjail

import (
	"fmt"
	"github.com/procjail/procjail/internal/cgroup"
	"os"
	"strings"
)

// enforcement is what strategy will enforce for this job on this host.
// It is computed before the sandbox starts, so Require can fail closed.
func (j *job) enforcement(s Strategy, ids sandboxIDs, cgroupWhy string) Enforcement {
	caps := ProbeCapabilities()
	e := Enforcement{Strategy: s}
	add := func(r Requirement, ok bool, how string) {
		e.Layers = append(e.Layers, Layer{Name: r, Enforced: ok, How: how})
	}
	switch s {
	case Unshare:
		j.unshareLayers(add, caps, ids)
	case Rlimits:
		j.rlimitsLayers(add, caps, ids)
	case Bubblewrap:
		j.bubblewrapLayers(add, caps, ids)
	case Firejail:
		j.firejailLayers(add, caps)
	}
	j.commonLayers(add, caps, s, ids, cgroupWhy)
	return e
}

type addLayer func(Requirement, bool, string)

func (j *job) unshareLayers(add addLayer, caps Capabilities, ids sandboxIDs) {
	add(RequireFilesystem, true, "empty tmpfs root, read-only system binds, work dir "+j.workDirMode()+", private /tmp, fresh /proc, minimal /dev and /etc")
	if j.cfg.AllowLocalhost {
		add(RequireNetwork, true, fmt.Sprintf("own network namespace; only the host's loopback ports %v are forwarded (TCP and UDP), nothing else is reachable", j.cfg.AllowLocalhostPorts))
	} else {
		add(RequireNetwork, true, "own network namespace with only loopback")
	}
	add(RequirePID, true, "own pid namespace; the supervisor is PID 1 and not dumpable")
	add(RequireIPC, true, "own ipc and uts namespaces, private /dev/shm")
	add(RequireTreeKill, true, "pid namespace: the tree dies with its PID 1")
	add(RequireSecretEnv, true, "secrets stripped; the caller's /proc/<pid>/environ is outside the pid namespace; the supervisor starts with an empty environment")
	add(RequireUnprivileged, true, fmt.Sprintf("uid %d inside mapped to host uid %d, no capabilities, no_new_privs", sandboxUID, ids.uid))
	if caps.Landlock.Available {
		add(RequireLandlock, true, "ruleset mirrors the filesystem view ("+caps.Landlock.Detail+")")
	} else {
		add(RequireLandlock, false, caps.Landlock.Reason)
	}
}

func (j *job) bubblewrapLayers(add addLayer, caps Capabilities, ids sandboxIDs) {
	add(RequireFilesystem, true, "bwrap: the same view as unshare (empty tmpfs root, read-only system binds bound by descriptor, work dir "+j.workDirMode()+"); /tmp is not size-limited by bwrap (RLIMIT_FSIZE bounds each file)")
	if j.cfg.AllowLocalhost {
		add(RequireNetwork, true, fmt.Sprintf("a network namespace of procjail's own, shared by bwrap; only the host's loopback ports %v are forwarded (TCP and UDP), nothing else is reachable", j.cfg.AllowLocalhostPorts))
	} else {
		add(RequireNetwork, true, "bwrap --unshare-net: own network namespace with only loopback")
	}
	add(RequirePID, true, "bwrap --unshare-pid, --new-session, --die-with-parent")
	add(RequireIPC, true, "bwrap --unshare-ipc --unshare-uts, private /dev/shm")
	add(RequireTreeKill, true, "the stage kills bwrap, whose pid namespace takes the tree with it")
	add(RequireSecretEnv, true, "secrets stripped; bwrap is started with an empty environment (its PID 1's /proc/1/environ holds nothing) and passes the payload's through a descriptor")
	add(RequireUnprivileged, true, fmt.Sprintf("bwrap --unshare-user --cap-drop ALL: uid %d inside, host uid %d, no capabilities, no_new_privs", sandboxUID, ids.uid))
	add(RequireLandlock, false, "bubblewrap cannot apply procjail's Landlock ruleset")
}

func (j *job) firejailLayers(add addLayer, caps Capabilities) {
	cmd, err := j.firejailCommand()
	lim := cmd.Limitations
	if err != nil {
		lim = append(lim, err.Error())
	}
	add(RequireFilesystem, true, "firejail: empty private home, private /tmp and /dev, minimal /etc, host top-level directories emptied, work dir "+j.workDirMode()+"; /tmp is not size-limited")
	add(RequireNetwork, true, "firejail --net=none: own network namespace")
	add(RequirePID, true, "firejail pid namespace")
	add(RequireIPC, false, "firejail does not give the sandbox its own SysV IPC and keyrings here")
	add(RequireTreeKill, true, "the stage kills firejail, whose pid namespace takes the tree with it")
	add(RequireSecretEnv, true, "secrets stripped; firejail passes exactly the payload's environment")
	if os.Geteuid() == 0 {
		add(RequireUnprivileged, false, "firejail runs as the caller and cannot take root away from the payload when the caller is root; "+strings.Join(lim, "; "))
	} else {
		add(RequireUnprivileged, true, "caller's uid (not root), all capabilities dropped, no_new_privs")
	}
	add(RequireLandlock, false, "firejail cannot apply procjail's Landlock ruleset")
}

func (j *job) rlimitsLayers(add addLayer, caps Capabilities, ids sandboxIDs) {
	who := "the caller's uid"
	if ids.dedicated {
		who = fmt.Sprintf("dedicated uid %d", ids.uid)
	}
	add(RequireFilesystem, false, "no filesystem view under rlimits: the payload reads and writes whatever "+who+" may")
	add(RequireNetwork, false, "no network namespace under rlimits: the host's whole network is reachable, whatever allow_localhost says")
	add(RequirePID, false, "no pid namespace under rlimits: host processes are visible")
	add(RequireIPC, false, "no ipc namespace under rlimits")
	add(RequireLandlock, false, "not applied by the rlimits strategy")
	tk := "subreaper supervisor kills its session and descendants"
	if caps.Seccomp.Available {
		tk += "; setsid is denied so nothing leaves the session"
	}
	if ids.dedicated {
		tk += fmt.Sprintf("; every process of uid %d is swept", ids.uid)
	}
	add(RequireTreeKill, caps.Seccomp.Available || ids.dedicated, tk)
	if ids.dedicated {
		add(RequireSecretEnv, true, "secrets stripped; the payload's uid cannot read the caller's /proc/<pid>/environ")
		add(RequireUnprivileged, true, who+", no capabilities, no_new_privs")
	} else {
		add(RequireSecretEnv, false, "secrets stripped, but the payload shares the caller's uid and can read its /proc/<pid>/environ: use unshare, or run as root to get a dedicated uid")
		add(RequireUnprivileged, os.Getuid() != 0, who+" (not root), no_new_privs; it can signal and ptrace the caller's other processes")
	}
}

func (j *job) commonLayers(add addLayer, caps Capabilities, s Strategy, ids sandboxIDs, cgroupWhy string) {
	if s == Firejail {
		add(RequireSeccomp, false, "firejail installs its own filter, not procjail's (no argument filtering: TIOCSTI is not blocked)")
	} else if caps.Seccomp.Available {
		add(RequireSeccomp, true, "procjail's deny-list filter; foreign architectures killed")
	} else {
		add(RequireSeccomp, false, caps.Seccomp.Reason)
	}
	sg := j.group
	if sg != nil && s == Rlimits && !ids.dedicated {
		// The payload shares the caller's uid, which owns a delegated
		// cgroup's files: it could raise its own limits.
		cgroupWhy, sg = "the payload shares the caller's uid, which owns the cgroup's files", nil
	}
	j.cgroupLayers(add, sg, cgroupWhy)
	if sg != nil && sg.have&cgroup.Pids != 0 {
		add(RequireProcessLimit, true, fmt.Sprintf("cgroup pids.max=%d for the whole tree (processes and threads)", j.cfg.MaxProcesses))
		return
	}
	switch {
	case s == Unshare, s == Bubblewrap && ids.dedicated:
		add(RequireProcessLimit, true, fmt.Sprintf("RLIMIT_NPROC=%d counted in the sandbox's own user namespace (plus the supervisor's threads)", j.cfg.MaxProcesses))
	case ids.dedicated:
		add(RequireProcessLimit, true, fmt.Sprintf("RLIMIT_NPROC=%d on dedicated uid %d", j.cfg.MaxProcesses, ids.uid))
	default:
		add(RequireProcessLimit, false, "RLIMIT_NPROC counts every process of the caller's uid, so it is raised by what already runs; use a cgroup or run as root")
	}
}

func (j *job) workDirMode() string {
	if j.cfg.WritableWorkDir {
		return "writable"
	}
	return "read-only"
}
