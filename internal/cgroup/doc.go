// Package cgroup gives a sandbox a cgroup of its own, so that limits and
// usage figures cover the whole sandboxed tree, and the tree can be killed
// as one. It works on cgroup v2, on cgroup v1 controllers, and on hybrid
// hosts that have both, with plain file operations.
//
// # Where groups go
//
// On cgroup v2 a group is <base>/procjail/<leaf>, where base is the
// caller's own cgroup unless [Options.V2Base] names another (a delegated
// subtree). Controllers are enabled in base's and procjail's
// cgroup.subtree_control; cgroup v2 allows that only when base holds no
// process (the root of the hierarchy excepted), and procjail never moves
// its caller, so a base holding processes gives placement, whole-tree kill
// and CPU time but no limits. [Host.Describe] says which, and why.
//
// On cgroup v1 (root only) a group is <mount>/procjail/<leaf> directly
// under the root of each hierarchy used, never under another process's
// cgroup. On a hybrid host the v2 group gives clone-time placement,
// cgroup.kill and CPU time, and v1 groups give the limits v2 lacks.
//
// The leaf's name records the creating process (pid namespace, pid, start
// time), so that [Host.ReclaimStale] can tell the groups of a crashed
// caller from live ones.
//
// # Using a group
//
//	h, _ := cgroup.Detect()
//	g, err := h.New("job1", cgroup.Limits{MemoryBytes: 256 << 20, Pids: 64})
//	fd, ok := g.CloneFD() // if ok: SysProcAttr.UseCgroupFD, CgroupFD = fd
//	cmd.Start()           // the child waits on a pipe before doing anything
//	g.AddProc(cmd.Process.Pid) // always: v1 groups, or v2 without CloneFD
//	// release the child; optionally g.WaitCPU(ctx, limit, cpus) then g.Kill()
//	cmd.Wait(); g.Kill(); st, _ := g.Stats(); g.Remove()
//
// Memory limits are resident memory with swap off, never address space.
// Pids limits count tasks: processes and threads. cgroups have no budget
// of CPU seconds: [Group.WaitCPU] polls CPU time on a timer set to the
// soonest moment the budget could run out.
package cgroup
