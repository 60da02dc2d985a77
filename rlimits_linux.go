package procjail

import (
	"slices"

	"fmt"
	"github.com/procjail/procjail/internal/cgroup"
	"os"
	"os/exec"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/procjail/procjail/internal/proctree"
	"github.com/procjail/procjail/internal/stage"
)

// startRlimits runs the payload without namespaces: the stage gets a new
// session, applies the limits, and forks the payload — as a dedicated
// unprivileged uid when the caller is root.
func (j *job) startRlimits(enf Enforcement, ids sandboxIDs) (*Process, error) {
	spec := j.baseSpec(stage.KindRlimits, ids)
	spec.Path = j.runtime
	spec.Dir = j.workDir
	spec.Seccomp = j.seccompProgram(true)
	// No Pdeathsig: when the caller dies the stage must live on long enough
	// to kill the tree (it sees end-of-file on its control socket); a
	// SIGKILL would orphan the payload instead.
	attr := &syscall.SysProcAttr{Setsid: true}
	return j.startStage(Rlimits, spec, attr, enf, func(cmd *exec.Cmd) func() {
		return rlimitsSweeper(cmd.Process.Pid, ids)
	})
}

// rlimitsSweeper kills what a stage may have left: every process of the
// dedicated uid (root caller), or of the stage's session.
func rlimitsSweeper(stagePid int, ids sandboxIDs) func() {
	return func() {
		proctree.KillUntilGone(func(p proctree.Info) bool {
			if ids.dedicated {
				return p.UID == ids.uid
			}
			return p.Sid == stagePid
		}, 50)
	}
}

// baseSpec fills what every stage kind shares.
func (j *job) baseSpec(kind string, ids sandboxIDs) *stage.Spec {
	s := &stage.Spec{
		Kind: kind, Argv: j.argv, Env: j.env,
		Rlimits: j.rlimits(ids, kind),
		UID:     -1, GID: -1,
		NoNewPrivs: true,
	}
	if ids.dedicated && kind != stage.KindUnshare {
		s.UID, s.GID = ids.uid, ids.gid
	}
	return s
}

// nprocHeadroom is added to RLIMIT_NPROC when the payload shares the
// caller's uid without a user namespace of its own.
const nprocHeadroom = 512

// rlimits returns the per-process limits every strategy applies. In a user
// namespace (ns) RLIMIT_NPROC counts only the tasks of that namespace, so
// it bounds the sandbox exactly (the stage adds its own threads).
func (j *job) rlimits(ids sandboxIDs, kind string) []stage.Rlimit {
	ns := kind == stage.KindUnshare
	c := &j.cfg
	nproc := c.MaxProcesses
	if !ids.dedicated && !ns {
		// RLIMIT_NPROC counts every task of the real uid, and here the
		// payload shares the caller's uid: allow what already runs, and
		// headroom for the caller's own new threads.
		nproc += uint64(tasksOfUID(os.Getuid())) + nprocHeadroom
	}
	out := []stage.Rlimit{
		{Resource: unix.RLIMIT_CPU, Cur: c.MaxCPUSeconds, Max: c.MaxCPUSeconds + 1},
		{Resource: unix.RLIMIT_NOFILE, Cur: c.MaxFDs, Max: c.MaxFDs},
		{Resource: unix.RLIMIT_NPROC, Cur: nproc, Max: nproc},
		{Resource: unix.RLIMIT_FSIZE, Cur: c.MaxDiskBytes, Max: c.MaxDiskBytes},
		{Resource: unix.RLIMIT_DATA, Cur: c.MaxMemoryBytes, Max: c.MaxMemoryBytes},
		{Resource: unix.RLIMIT_CORE, Cur: 0, Max: 0},
		{Resource: unix.RLIMIT_MEMLOCK, Cur: 64 * KiB, Max: 64 * KiB},
		{Resource: unix.RLIMIT_MSGQUEUE, Cur: 0, Max: 0},
	}
	// Only where the cgroup's limit is one Enforced() claims: under rlimits
	// a payload sharing the caller's uid could rewrite its own group, so
	// the per-process limit stays.
	trusted := kind != stage.KindRlimits || ids.dedicated
	if trusted && j.group != nil && j.group.have&cgroup.Memory != 0 {
		// The cgroup bounds resident memory for the whole tree; a
		// per-process data limit would only make allocations fail first.
		out = slices.DeleteFunc(out, func(r stage.Rlimit) bool { return r.Resource == unix.RLIMIT_DATA })
	}
	return out
}

// tasksOfUID counts the threads the uid runs (what RLIMIT_NPROC counts).
func tasksOfUID(uid int) int {
	n := 0
	for _, p := range proctree.List() {
		if p.UID == uid {
			ents, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", p.Pid))
			if err == nil {
				n += len(ents)
			}
		}
	}
	return n
}
