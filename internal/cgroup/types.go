package cgroup

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrNoCgroup means this process can make no cgroup at all: no cgroup
// hierarchy is mounted, or none is writable for it.
var ErrNoCgroup = errors.New("no writable cgroup hierarchy")

// ErrNoController means a group can be made, but not with a limit that was
// asked for: the controller is missing or cannot be enabled.
var ErrNoController = errors.New("cgroup controller not available")

// Mode says which cgroup interfaces a host's groups use.
type Mode int

const (
	// None: no group can be made.
	None Mode = iota
	// V1: cgroup v1 controllers only.
	V1
	// Hybrid: a cgroup v2 group for placement, kill and CPU time, plus
	// cgroup v1 groups for the controllers v2 lacks.
	Hybrid
	// V2: cgroup v2 only.
	V2
)

// String returns "none", "v1", "hybrid" or "v2".
func (m Mode) String() string {
	switch m {
	case V1:
		return "v1"
	case Hybrid:
		return "hybrid"
	case V2:
		return "v2"
	}
	return "none"
}

// Resource is a set of things a group can limit or account.
type Resource uint

const (
	// Memory: a memory limit (swap off), peak memory, OOM kills.
	Memory Resource = 1 << iota
	// Pids: a task limit, current and peak tasks, limit hits.
	Pids
	// CPU: CPU weight and quota.
	CPU
	// CPUTime: the CPU time of the whole tree.
	CPUTime
)

var resourceNames = []struct {
	r    Resource
	name string
}{{Memory, "memory"}, {Pids, "pids"}, {CPU, "cpu"}, {CPUTime, "cpu time"}}

// String lists the resources, comma-separated.
func (r Resource) String() string {
	var out []string
	for _, n := range resourceNames {
		if r&n.r != 0 {
			out = append(out, n.name)
		}
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ",")
}

// Feature says whether a cgroup interface is usable here, in the shape of
// procjail's probe report.
type Feature struct {
	Available bool
	Detail    string // what it gives, when available
	Reason    string // why not, or what part is missing
	Hint      string // how to get it
}

// Limits are what a group enforces. A zero field sets no limit.
type Limits struct {
	// MemoryBytes bounds the tree's resident memory (anonymous memory,
	// page cache and kernel memory charged to the group) with swap off.
	// Over it, the kernel reclaims and then OOM-kills inside the group.
	MemoryBytes uint64
	// Pids bounds the tree's tasks: processes and threads together.
	Pids uint64
	// CPUWeight is the tree's relative CPU share, 1..10000 (100 is the
	// default share of a cgroup).
	CPUWeight uint64
	// CPUQuotaMilli caps the tree's CPU bandwidth, in thousandths of one
	// CPU per 100 ms period: 1000 is one CPU, 2500 two and a half. At
	// least 10.
	CPUQuotaMilli uint64
}

// Validate checks the ranges the kernel accepts.
func (l Limits) Validate() error {
	if l.CPUWeight > 10000 {
		return fmt.Errorf("cgroup: CPUWeight %d is out of range 1..10000", l.CPUWeight)
	}
	if l.CPUQuotaMilli != 0 && l.CPUQuotaMilli < 10 {
		return fmt.Errorf("cgroup: CPUQuotaMilli %d is below the kernel's minimum quota (10, i.e. 1 ms per 100 ms)", l.CPUQuotaMilli)
	}
	return nil
}

// Needs returns the resources whose controllers the limits need.
func (l Limits) Needs() Resource {
	var r Resource
	if l.MemoryBytes > 0 {
		r |= Memory
	}
	if l.Pids > 0 {
		r |= Pids
	}
	if l.CPUWeight > 0 || l.CPUQuotaMilli > 0 {
		r |= CPU
	}
	return r
}

// Stats are a group's usage figures. Have says which fields were read;
// the others are zero.
type Stats struct {
	Have Resource

	MemoryPeak uint64 // highest memory charged to the group, in bytes
	OOMKills   uint64 // processes the OOM killer killed in the group

	// CPU is the CPU time of the whole tree (user+system). The split into
	// CPUUser and CPUSystem is the kernel's estimate: on cgroup v1 it is
	// sampled and need not add up to CPU.
	CPU       time.Duration
	CPUUser   time.Duration
	CPUSystem time.Duration

	PidsCurrent   uint64 // tasks now
	PidsPeak      uint64 // most tasks at once
	PidsLimitHits uint64 // forks refused by the task limit
}
