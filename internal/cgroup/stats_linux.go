package cgroup

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"time"
)

// Stats reads the group's usage figures. Read them after the tree has
// exited or been killed and before Remove. Figures the host cannot give
// are left out of Stats.Have; an error names the files that could not be
// read, alongside the figures that could.
func (g *Group) Stats() (Stats, error) {
	var s Stats
	var errs []error
	if d, ok := g.at[Memory]; ok {
		errs = append(errs, g.readMemory(&s, d))
	}
	if d, ok := g.at[Pids]; ok {
		errs = append(errs, g.readPids(&s, d))
	}
	if d, ok := g.at[CPUTime]; ok {
		errs = append(errs, readCPU(&s, d))
	}
	if err := errors.Join(errs...); err != nil {
		return s, fmt.Errorf("cgroup: reading the usage of group %s: %w", g.leaf, err)
	}
	return s, nil
}

// readMemory reads peak memory and OOM kills: v2 memory.peak (Linux
// 5.19+) and memory.events, v1 memory.max_usage_in_bytes and
// memory.oom_control.
func (g *Group) readMemory(s *Stats, d resDir) error {
	peak, events := "memory.max_usage_in_bytes", "memory.oom_control"
	if d.v2 {
		peak, events = "memory.peak", "memory.events"
	}
	p, err := readValue(filepath.Join(d.dir, peak))
	if err != nil {
		return err
	}
	ev, err := readKeyed(filepath.Join(d.dir, events))
	if err != nil {
		return err
	}
	s.MemoryPeak, s.OOMKills = p, ev["oom_kill"]
	s.Have |= Memory
	return nil
}

// readPids reads the task count, its peak (pids.peak, or the highest count
// this Group has read on kernels without it) and the limit hits
// ("max" in pids.events).
func (g *Group) readPids(s *Stats, d resDir) error {
	cur, err := readValue(filepath.Join(d.dir, "pids.current"))
	if err != nil {
		return err
	}
	ev, err := readKeyed(filepath.Join(d.dir, "pids.events"))
	if err != nil {
		return err
	}
	g.mu.Lock()
	g.pidsSeen = max(g.pidsSeen, cur)
	peak := g.pidsSeen
	g.mu.Unlock()
	if p, err := readValue(filepath.Join(d.dir, "pids.peak")); err == nil {
		peak = p
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	s.PidsCurrent, s.PidsPeak, s.PidsLimitHits = cur, peak, ev["max"]
	s.Have |= Pids
	return nil
}

// readCPU reads CPU time: v2 cpu.stat (in µs), v1 cpuacct.usage,
// cpuacct.usage_user and cpuacct.usage_sys (in ns).
func readCPU(s *Stats, d resDir) error {
	if d.v2 {
		st, err := readKeyed(filepath.Join(d.dir, "cpu.stat"))
		if err != nil {
			return err
		}
		s.CPU, s.CPUUser, s.CPUSystem = usec(st["usage_usec"]), usec(st["user_usec"]), usec(st["system_usec"])
		s.Have |= CPUTime
		return nil
	}
	total, err := readValue(filepath.Join(d.dir, "cpuacct.usage"))
	if err != nil {
		return err
	}
	user, _ := readValue(filepath.Join(d.dir, "cpuacct.usage_user"))
	sys, _ := readValue(filepath.Join(d.dir, "cpuacct.usage_sys"))
	s.CPU, s.CPUUser, s.CPUSystem = time.Duration(total), time.Duration(user), time.Duration(sys)
	s.Have |= CPUTime
	return nil
}

func usec(v uint64) time.Duration { return time.Duration(v) * time.Microsecond }

// CPUUsage returns the CPU time (user+system) the whole tree has used so
// far, dead members included.
func (g *Group) CPUUsage() (time.Duration, error) {
	d, ok := g.at[CPUTime]
	if !ok {
		return 0, fmt.Errorf("cgroup: group %s: %w: no CPU accounting (no cgroup v2 group and no cgroup v1 cpuacct)", g.leaf, ErrNoController)
	}
	var s Stats
	if err := readCPU(&s, d); err != nil {
		return 0, fmt.Errorf("cgroup: reading the CPU time of group %s: %w", g.leaf, err)
	}
	return s.CPU, nil
}

// WaitCPU returns nil once the tree has used limit of CPU time, or the
// context's error when it ends first. cgroups have no CPU-time budget, so
// it polls, on a timer set to the soonest moment the budget could run out
// when the tree runs on cpus CPUs at once (see NextCPUCheck), never in a
// busy loop. Pass the number of CPUs the tree may use (runtime.NumCPU(),
// or fewer under a CPU quota); the overshoot is at most cpus×MinCPUCheck
// plus the caller's reaction time. Kill the group when it returns nil.
func (g *Group) WaitCPU(ctx context.Context, limit time.Duration, cpus int) error {
	for {
		used, err := g.CPUUsage()
		if err != nil {
			return err
		}
		d := NextCPUCheck(used, limit, cpus)
		if d == 0 {
			return nil
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}
