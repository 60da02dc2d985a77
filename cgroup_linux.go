package procjail

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/procjail/procjail/internal/cgroup"
)

// cgroupHost is the host's cgroup layout, detected once; groups left by a
// crashed caller are reclaimed then.
var cgroupHost = sync.OnceValues(func() (*cgroup.Host, error) {
	h, err := cgroup.Detect()
	if err == nil {
		h.ReclaimStale()
	}
	return h, err
})

var groupSeq atomic.Uint64

// defaultCPUWeight is each sandbox's CPU share: the kernel's default for a
// cgroup, so a sandbox competes with others as one group however many
// processes it forks.
const defaultCPUWeight = 100

// cloneInto makes a stage be born inside the sandbox's cgroup
// (CLONE_INTO_CGROUP) when its v2 part can take it; the stage is also
// added with AddProc before it has its spec, which covers v1 controllers.
func (sg *sandboxGroup) cloneInto(attr *syscall.SysProcAttr) {
	if sg == nil {
		return
	}
	if fd, ok := sg.g.CloneFD(); ok {
		attr.UseCgroupFD, attr.CgroupFD = true, fd
	}
}

// sandboxGroup is a sandbox's cgroup and what it enforces.
type sandboxGroup struct {
	g      *cgroup.Group
	have   cgroup.Resource // limited or accounted through the group
	placed bool            // the stage is already inside (a warm stage)
	cancel context.CancelFunc
}

// newGroup creates the sandbox's cgroup with every limit this host's
// cgroups can enforce; nil (and the reason) when there is no usable
// hierarchy. Limits the group cannot take are left to rlimits and
// reported.
func (j *job) newGroup() (*sandboxGroup, string) {
	return makeGroup(j.cfg.MaxMemoryBytes, j.cfg.MaxProcesses)
}

func makeGroup(memory, pids uint64) (*sandboxGroup, string) {
	h, err := cgroupHost()
	if err != nil {
		return nil, err.Error()
	}
	have := h.Have()
	if have == 0 {
		return nil, h.Why(cgroup.Memory)
	}
	g, err := h.New("s"+strconv.FormatUint(groupSeq.Add(1), 10), groupLimits(have, memory, pids))
	if err != nil {
		return nil, err.Error()
	}
	return &sandboxGroup{g: g, have: have}, ""
}

func groupLimits(have cgroup.Resource, memory, pids uint64) cgroup.Limits {
	l := cgroup.Limits{}
	if have&cgroup.Memory != 0 {
		l.MemoryBytes = memory
	}
	if have&cgroup.Pids != 0 {
		l.Pids = pids
	}
	if have&cgroup.CPU != 0 {
		l.CPUWeight = defaultCPUWeight
	}
	return l
}

// adopt takes the group a warm stage was born in and gives it this
// sandbox's limits.
func (j *job) adopt(sg *sandboxGroup) (*sandboxGroup, string) {
	err := sg.g.SetLimits(groupLimits(sg.have, j.cfg.MaxMemoryBytes, j.cfg.MaxProcesses))
	if err != nil {
		sg.g.Kill()
		sg.g.Remove()
		return nil, err.Error()
	}
	sg.placed = true
	return sg, ""
}

// watchCPU kills the sandbox when its whole tree has used MaxCPUSeconds.
func (sg *sandboxGroup) watchCPU(p *Process, limit time.Duration) {
	if sg == nil || sg.have&cgroup.CPUTime == 0 {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	sg.cancel = cancel
	go func() {
		if sg.g.WaitCPU(ctx, limit, runtime.NumCPU()) == nil {
			p.killFor(ExitCPULimit)
			sg.g.Kill()
		}
	}()
}

// finish kills what is left in the group, reads its figures into u and
// removes it.
func (sg *sandboxGroup) finish(u *Usage) {
	if sg == nil {
		return
	}
	if sg.cancel != nil {
		sg.cancel()
	}
	sg.g.Kill()
	if st, err := sg.g.Stats(); err == nil {
		applyCgroupStats(u, st)
	}
	if err := sg.g.Remove(); err != nil {
		u.Detail = joinDetail(u.Detail, "cgroup not removed: "+err.Error())
	}
}

func applyCgroupStats(u *Usage, st cgroup.Stats) {
	u.Source = "cgroup"
	if st.Have&cgroup.Memory != 0 {
		u.PeakRSS = st.MemoryPeak
		u.OOMKills = st.OOMKills
		if st.OOMKills > 0 && (u.Reason == ExitSignaled || u.Reason == ExitLost) {
			u.Reason = ExitOOM
		}
	}
	if st.Have&cgroup.CPUTime != 0 {
		u.UserCPU, u.SysCPU = Duration(st.CPUUser), Duration(st.CPU-st.CPUUser)
	}
	if st.Have&cgroup.Pids != 0 {
		u.PidsPeak = st.PidsPeak
	}
}

func joinDetail(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// cgroupFeatures describes the host's cgroups for ProbeCapabilities.
func cgroupFeatures() (v2, v1 Feature) {
	h, err := cgroupHost()
	if err != nil {
		no := Feature{Reason: err.Error(), Hint: cgroup.HintDelegate}
		return no, no
	}
	a, b := h.Describe()
	return Feature(a), Feature(b)
}

// cgroupLayers reports the whole-tree limits.
func (j *job) cgroupLayers(add addLayer, sg *sandboxGroup, why string) {
	c := &j.cfg
	if sg != nil && sg.have&cgroup.Memory != 0 {
		add(RequireMemoryLimit, true, fmt.Sprintf("cgroup (%s): %d bytes of resident memory for the whole tree, swap off", sg.g.Mode(), c.MaxMemoryBytes))
	} else {
		add(RequireMemoryLimit, false, fmt.Sprintf("no cgroup memory controller (%s): RLIMIT_DATA=%d per process, not for the whole tree. Fix: %s", why, c.MaxMemoryBytes, cgroup.HintDelegate))
	}
	if sg != nil && sg.have&cgroup.CPUTime != 0 {
		add(RequireCPULimit, true, fmt.Sprintf("cgroup CPU accounting: the whole tree is killed at %ds of CPU", c.MaxCPUSeconds))
	} else {
		add(RequireCPULimit, false, fmt.Sprintf("no cgroup (%s): RLIMIT_CPU=%ds per process, not for the whole tree. Fix: %s", why, c.MaxCPUSeconds, cgroup.HintDelegate))
	}
}

// renewGroup replaces the job's cgroup after a failed start removed it;
// the limits were promised, so failing to make one fails the spawn.
func (j *job) renewGroup() error {
	if j.group == nil {
		return nil
	}
	var why string
	if j.group, why = j.newGroup(); j.group == nil {
		return &Error{Op: "spawn", Step: "cgroup", Err: errorsJoinSetup(errors.New(why))}
	}
	return nil
}
