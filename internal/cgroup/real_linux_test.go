package cgroup

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/procjail/procjail/internal/testutil"
	"golang.org/x/sys/unix"
)

// These tests make real groups on this host: as root, under procjail/ at
// the root of each v1 hierarchy and below this process's v2 cgroup. Every
// hostile child is bounded from outside (limits set before it is
// released, RLIMIT_AS, timeouts), and every group is killed and removed
// at cleanup.

func rootHost(t *testing.T) *Host {
	t.Helper()
	if os.Geteuid() != 0 {
		testutil.Skip(t, testutil.NotForThisCaller, "cgroup groups", "needs root here; the unprivileged run checks the refusal")
	}
	h, err := Detect()
	must(t, err)
	return h
}

// v1Only is h with cgroup v2 turned off: groups use v1 controllers alone,
// and the v1 freezer to kill.
func v1Only(t *testing.T, h *Host) *Host {
	t.Helper()
	c := *h
	c.v2 = v2Host{err: errors.New("turned off by the test")}
	for _, ctrl := range []string{"memory", "pids", "cpuacct", "freezer"} {
		if hr := c.v1[ctrl]; hr == nil || hr.err != nil {
			testutil.Skip(t, testutil.MissingFeature, "cgroup v1 "+ctrl, c.v1Why(ctrl))
		}
	}
	return &c
}

// v2Only is h without its v1 hierarchies.
func v2Only(t *testing.T, h *Host) *Host {
	t.Helper()
	c := *h
	c.v1 = map[string]*v1Hier{}
	if c.v2.err != nil {
		testutil.Skip(t, testutil.MissingFeature, "cgroup v2", c.v2.err.Error())
	}
	return &c
}

// newTestGroup makes a group that cleanup kills and removes, along with
// the procjail/ directories when nothing else is in them.
func newTestGroup(t *testing.T, h *Host, name string, l Limits) *Group {
	t.Helper()
	g, err := h.New(name, l)
	must(t, err)
	t.Cleanup(func() { cleanGroup(t, g) })
	return g
}

// cleanGroup kills and removes a group at cleanup. If Kill or Remove is
// broken, it kills the members with plain kill(2), independently of the
// code under test, so that a regression fails the test and leaves
// nothing behind.
func cleanGroup(t *testing.T, g *Group) {
	if err := g.Kill(); err != nil {
		t.Errorf("cleanup: %v", err)
	}
	if err := g.Remove(); err != nil {
		t.Errorf("cleanup: %v", err)
		for i := 0; i < 50 && g.Remove() != nil; i++ {
			for _, d := range g.Dirs() {
				b, _ := os.ReadFile(filepath.Join(d, "cgroup.procs"))
				for _, pid := range parsePids(b) {
					unix.Kill(pid, unix.SIGKILL)
				}
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	for _, d := range g.Dirs() {
		unix.Rmdir(filepath.Dir(d)) // procjail/, when nothing else is in it
	}
}

// cgroupOf returns pid's cgroup in the hierarchy that has ctrl ("" for
// cgroup v2), from /proc/PID/cgroup.
func cgroupOf(t *testing.T, pid int, ctrl string) string {
	t.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cgroup")
	must(t, err)
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.SplitN(line, ":", 3)
		if len(f) == 3 && (ctrl == "" && f[0] == "0" || ctrl != "" && has(strings.Split(f[1], ","), ctrl)) {
			return f[2]
		}
	}
	return ""
}

// assertMember checks that pid is in every part of g.
func assertMember(t *testing.T, h *Host, g *Group, pid int) {
	t.Helper()
	if g.v2 != "" {
		if got, want := cgroupOf(t, pid, ""), strings.TrimPrefix(g.v2, h.v2.mount); got != want {
			t.Errorf("pid %d is in v2 cgroup %s, want %s", pid, got, want)
		}
	}
	for _, d := range g.v1 {
		if got, want := cgroupOf(t, pid, d.ctrls[0]), "/"+groupsDir+"/"+g.leaf; got != want {
			t.Errorf("pid %d is in %s cgroup %s, want %s", pid, d.ctrls[0], got, want)
		}
	}
}

// assertEmpty checks that Kill left no process: the group lists none, and
// each former member is gone or a zombie.
func assertEmpty(t *testing.T, g *Group, former []int) {
	t.Helper()
	if pids, err := g.procs(); err != nil || len(pids) != 0 {
		t.Errorf("group still has processes %v (%v)", pids, err)
	}
	for _, pid := range former {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if i := strings.LastIndexByte(string(b), ')'); err == nil && i > 0 && !strings.HasPrefix(string(b[i+2:]), "Z") {
			t.Errorf("pid %d survived Kill: %s", pid, b)
		}
	}
}

func assertRemoved(t *testing.T, g *Group) {
	t.Helper()
	must(t, g.Remove())
	for _, d := range g.Dirs() {
		if _, err := os.Stat(d); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s still exists after Remove (%v)", d, err)
		}
	}
}

func killedBySignal(err error, sig syscall.Signal) bool {
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return false
	}
	ws, ok := ee.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == sig
}

func TestV1ForkBombStopsAtPidsLimit(t *testing.T) {
	h := v1Only(t, rootHost(t))
	g := newTestGroup(t, h, "forkbomb", Limits{Pids: 16})
	c := startChild(t, "sh", "b(){ b|b& }; b; sleep 1000", nil)
	must(t, g.AddProc(c.pid()))
	assertMember(t, h, g, c.pid())
	c.release(t)
	var st Stats
	until(t, 30*time.Second, "the pids limit refusing a fork", func() bool {
		var err error
		st, err = g.Stats()
		must(t, err)
		return st.PidsLimitHits > 0
	})
	t.Logf("%+v", st)
	if st.PidsPeak > 16 || st.PidsCurrent > 16 {
		t.Errorf("tasks: %d now, %d at peak; the limit is 16", st.PidsCurrent, st.PidsPeak)
	}
	pids, _ := g.procs()
	must(t, g.Kill())
	assertEmpty(t, g, pids)
	assertRemoved(t, g)
}

func TestV1MemoryLimitOOMKills(t *testing.T) {
	h := v1Only(t, rootHost(t))
	const limit = 256 << 20
	g := newTestGroup(t, h, "oom", Limits{MemoryBytes: limit})
	mem := g.at[Memory].dir
	// The group sits directly under the memory hierarchy's root, never in
	// another process's group.
	if got, want := filepath.Dir(filepath.Dir(mem)), h.v1["memory"].mount; got != want {
		t.Fatalf("memory group %s is not directly under the hierarchy root %s", mem, want)
	}
	if v, err := readValue(filepath.Join(mem, "memory.limit_in_bytes")); err != nil || v != limit {
		t.Fatalf("memory.limit_in_bytes = %d, %v; want %d (not releasing the child)", v, err, limit)
	}
	c := startChild(t, "alloc", "", nil)
	must(t, g.AddProc(c.pid()))
	if got, want := cgroupOf(t, c.pid(), "memory"), "/procjail/"+g.leaf; got != want {
		t.Fatalf("child's memory cgroup is %s, want %s", got, want)
	}
	c.release(t)
	err := c.wait(t, 2*time.Minute)
	if !killedBySignal(err, syscall.SIGKILL) || strings.Contains(c.out.String(), "survived") {
		t.Fatalf("4 GiB under a 256 MiB limit: exit %v, output %q; want an OOM kill", err, c.out.String())
	}
	st, err := g.Stats()
	must(t, err)
	t.Logf("%+v", st)
	// The kernel charges in pages and may overshoot the limit by a few
	// before it reclaims or kills.
	if st.OOMKills < 1 || st.MemoryPeak > limit+64<<10 || st.MemoryPeak < limit/2 {
		t.Errorf("OOM kills %d, peak %d; want ≥1 and a peak near %d", st.OOMKills, st.MemoryPeak, limit)
	}
	assertRemoved(t, g)
}

// busy4 runs four busy processes under a shell that only waits.
const busy4 = "for i in 1 2 3 4; do (while :; do :; done) & done; wait"

func TestV1WholeTreeCPU(t *testing.T) {
	testWholeTreeCPU(t, v1Only(t, rootHost(t)), "v1cpu")
}

func TestV2WholeTreeCPU(t *testing.T) {
	testWholeTreeCPU(t, v2Only(t, rootHost(t)), "v2cpu")
}

func testWholeTreeCPU(t *testing.T, h *Host, name string) {
	g := newTestGroup(t, h, name, Limits{})
	c := startChild(t, "sh", busy4, nil)
	must(t, g.AddProc(c.pid()))
	c.release(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	used0, _ := g.CPUUsage()
	budget := used0 + 1500*time.Millisecond
	if err := g.WaitCPU(ctx, budget, 2); err != nil {
		t.Fatalf("WaitCPU(%s): %v", budget, err)
	}
	st, err := g.Stats()
	must(t, err)
	own := procCPU(t, c.pid())
	t.Logf("%+v own %s", st, own)
	if st.CPU < budget || own > st.CPU/4 {
		t.Errorf("group CPU %s (user %s, system %s), the shell's own %s; want ≥ %s, nearly all from its children", st.CPU, st.CPUUser, st.CPUSystem, own, budget)
	}
	thaw := g.freeze(time.Now().Add(5 * time.Second))
	if _, _, _, frozen := g.freezer(); !frozen() {
		t.Errorf("freeze did not freeze the group")
	}
	thaw()
	pids, _ := g.procs()
	must(t, g.Kill())
	if err := c.wait(t, 30*time.Second); !killedBySignal(err, syscall.SIGKILL) {
		t.Errorf("the shell ended with %v, want SIGKILL", err)
	}
	assertEmpty(t, g, pids)
	assertRemoved(t, g)
}

// procCPU is a process's own user+system time (not its children's).
func procCPU(t *testing.T, pid int) time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	must(t, err)
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	ut, _ := strconv.Atoi(f[11])
	st, _ := strconv.Atoi(f[12])
	return time.Duration(ut+st) * 10 * time.Millisecond // USER_HZ is 100 on Linux
}

func TestDefaultGroupPlacesLimitsAndKills(t *testing.T) {
	h := rootHost(t)
	if h.Have()&(Memory|Pids) != Memory|Pids {
		testutil.Skip(t, testutil.MissingFeature, "cgroup memory and pids", h.Why(Memory)+"; "+h.Why(Pids))
	}
	v2, v1 := h.Describe()
	t.Logf("mode %s\nv2: %+v\nv1: %+v", h.Mode(), v2, v1)
	g := newTestGroup(t, h, "default", Limits{MemoryBytes: 256 << 20, Pids: 16})
	var attr *syscall.SysProcAttr
	if fd, ok := g.CloneFD(); ok {
		attr = &syscall.SysProcAttr{UseCgroupFD: true, CgroupFD: fd}
	} else if h.Mode() != V1 {
		t.Errorf("mode %s but no CloneFD", h.Mode())
	}
	c := startChild(t, "sh", "i=0; while [ $i -lt 40 ]; do sleep 1000 & i=$((i+1)); done; wait", attr)
	must(t, g.AddProc(c.pid()))
	assertMember(t, h, g, c.pid())
	c.release(t)
	until(t, 30*time.Second, "the pids limit refusing a fork", func() bool {
		st, err := g.Stats()
		return err == nil && st.PidsLimitHits > 0
	})
	pids, _ := g.procs()
	must(t, g.Kill())
	assertEmpty(t, g, pids)
	assertRemoved(t, g)
}

func TestV2CloneIntoGroupAndKill(t *testing.T) {
	h := v2Only(t, rootHost(t))
	if h.Have()&Pids == 0 {
		if _, err := h.New("nopids", Limits{Pids: 4}); !errors.Is(err, ErrNoController) {
			t.Errorf("New with a pids limit on a v2 without pids = %v, want ErrNoController", err)
		}
	}
	g := newTestGroup(t, h, "clone", Limits{})
	fd, ok := g.CloneFD()
	if !ok {
		t.Fatal("no CloneFD on a v2 group")
	}
	c := startChild(t, "sh", "sleep 1000 & sleep 1000 & wait", &syscall.SysProcAttr{UseCgroupFD: true, CgroupFD: fd})
	assertMember(t, h, g, c.pid()) // born inside, before any AddProc
	c.release(t)
	until(t, 30*time.Second, "three processes in the group", func() bool { p, _ := g.procs(); return len(p) == 3 })
	pids, _ := g.procs()
	must(t, g.Kill()) // cgroup.kill
	if err := c.wait(t, 30*time.Second); !killedBySignal(err, syscall.SIGKILL) {
		t.Errorf("child ended with %v, want SIGKILL", err)
	}
	assertEmpty(t, g, pids)
	assertRemoved(t, g)
}

func TestV2FreezeKillFallback(t *testing.T) {
	h := v2Only(t, rootHost(t))
	g := newTestGroup(t, h, "freeze", Limits{})
	c := startChild(t, "sh", "sleep 1000 & (while :; do sleep 1 & wait; done) & wait", nil)
	must(t, g.AddProc(c.pid()))
	c.release(t)
	until(t, 30*time.Second, "the tree in the group", func() bool { p, _ := g.procs(); return len(p) >= 3 })
	events := filepath.Join(g.v2, "cgroup.events")
	thaw := g.freeze(time.Now().Add(5 * time.Second))
	if !keyedIs(events, "frozen", 1) {
		t.Errorf("cgroup.freeze did not freeze the group")
	}
	thaw()
	until(t, 5*time.Second, "thaw", func() bool { return keyedIs(events, "frozen", 0) })
	pids, _ := g.procs()
	must(t, g.killLoop(time.Now().Add(killWait))) // what Kill does without cgroup.kill
	assertEmpty(t, g, pids)
	assertRemoved(t, g)
}

func TestReclaimStale(t *testing.T) {
	h := rootHost(t)
	if h.Mode() == None {
		testutil.Skip(t, testutil.MissingFeature, "cgroups", h.errNone().Error())
	}
	dead := startChild(t, "sh", "exit 0", nil)
	o, err := ownerOf(dead.pid())
	must(t, err)
	dead.release(t)
	dead.wait(t, 30*time.Second)
	g, err := h.newGroup(leafName(o, "stale"), Limits{})
	must(t, err)
	t.Cleanup(func() { cleanGroup(t, g) })
	orphan := startChild(t, "sh", "sleep 1000", nil)
	must(t, g.AddProc(orphan.pid()))
	orphan.release(t)
	live := newTestGroup(t, h, "live", Limits{})

	n, err := h.ReclaimStale()
	if err != nil || n < 1 {
		t.Fatalf("ReclaimStale = %d, %v; want ≥ 1", n, err)
	}
	for _, d := range g.Dirs() {
		if _, err := os.Stat(d); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("stale group %s still exists (%v)", d, err)
		}
	}
	if err := orphan.wait(t, 30*time.Second); !killedBySignal(err, syscall.SIGKILL) {
		t.Errorf("the orphan in the stale group ended with %v, want SIGKILL", err)
	}
	for _, d := range live.Dirs() {
		if _, err := os.Stat(d); err != nil {
			t.Errorf("ReclaimStale removed the live group %s: %v", d, err)
		}
	}
}

func TestUnprivilegedCaller(t *testing.T) {
	if os.Geteuid() == 0 {
		testutil.Skip(t, testutil.NotForThisCaller, "unprivileged caller", "runs in the unprivileged re-run")
	}
	h, err := Detect()
	must(t, err)
	v2, v1 := h.Describe()
	t.Logf("mode %s\nv2: %+v\nv1: %+v", h.Mode(), v2, v1)
	if v1.Available || (v1.Reason != "" && !strings.Contains(v1.Reason, "only as root") && !strings.Contains(v1.Reason, "no cgroup v1")) {
		t.Errorf("cgroup v1 for uid %d: %+v; want refused, for root only", os.Geteuid(), v1)
	}
	if h.Mode() != None {
		// This user has a delegated cgroup v2 subtree: groups must work.
		g := newTestGroup(t, h, "unpriv", Limits{})
		assertRemoved(t, g)
		return
	}
	if v2.Available || v2.Reason == "" || v2.Hint != HintDelegate {
		t.Errorf("cgroup v2 for uid %d: %+v; want a reason and the delegation hint", os.Geteuid(), v2)
	}
	_, err = h.New("x", Limits{MemoryBytes: 1 << 30})
	if !errors.Is(err, ErrNoCgroup) || !strings.Contains(err.Error(), "Delegate=yes") {
		t.Errorf("New = %v; want ErrNoCgroup with the delegation hint", err)
	}
}
