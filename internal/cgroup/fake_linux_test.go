package cgroup

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fakeKernel stands in for cgroupfs on a plain directory: mkdir fills a
// new group with interface files, writes must hit existing files, and
// cgroup.subtree_control accumulates "+ctrl" writes. It records every
// write.
type fakeKernel struct {
	noSwap   bool
	readOnly map[string]bool // paths writable() denies

	mu     sync.Mutex
	writes []string // "path=value"
}

func (k *fakeKernel) mkdir(p string) error {
	if err := os.Mkdir(p, 0o755); err != nil {
		return err
	}
	sc, _ := os.ReadFile(filepath.Join(filepath.Dir(p), "cgroup.subtree_control"))
	files := fakeFiles(k.noSwap)
	files["cgroup.controllers"] = string(sc)
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(p, name), []byte(content), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func (k *fakeKernel) rmdir(p string) error {
	if _, err := os.Stat(p); err != nil {
		return err
	}
	return os.RemoveAll(p)
}

func (k *fakeKernel) write(p, value string) error {
	if _, err := os.Stat(p); err != nil {
		return &fs.PathError{Op: "open", Path: p, Err: syscall.ENOENT}
	}
	k.mu.Lock()
	k.writes = append(k.writes, p+"="+value)
	k.mu.Unlock()
	if filepath.Base(p) == "cgroup.subtree_control" {
		old, _ := os.ReadFile(p)
		value = strings.TrimSpace(string(old) + " " + strings.TrimPrefix(value, "+"))
	}
	return os.WriteFile(p, []byte(value), 0o644)
}

func (k *fakeKernel) writable(p string) bool {
	_, err := os.Stat(p)
	return err == nil && !k.readOnly[p]
}

// writesUnder returns the recorded writes, with root cut from their paths.
func (k *fakeKernel) writesUnder(root string) []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	var out []string
	for _, w := range k.writes {
		out = append(out, strings.TrimPrefix(w, root))
	}
	return out
}

// fakeFiles are the interface files of a new group, v1 and v2 alike.
func fakeFiles(noSwap bool) map[string]string {
	m := map[string]string{
		"cgroup.procs": "", "cgroup.subtree_control": "", "cgroup.events": "populated 0\nfrozen 0\n",
		"cgroup.kill": "", "cgroup.freeze": "0", "cgroup.type": "domain",
		"cpu.stat":   "usage_usec 0\nuser_usec 0\nsystem_usec 0\n",
		"memory.max": "max", "memory.swap.max": "max", "memory.peak": "0", "memory.events": "oom_kill 0\n",
		"pids.max": "max", "pids.current": "0", "pids.peak": "0", "pids.events": "max 0\n",
		"cpu.weight": "100", "cpu.max": "max 100000",
		"tasks": "", "memory.limit_in_bytes": "9223372036854771712", "memory.memsw.limit_in_bytes": "9223372036854771712",
		"memory.swappiness": "60", "memory.max_usage_in_bytes": "0", "memory.oom_control": "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n",
		"cpu.shares": "1024", "cpu.cfs_period_us": "100000", "cpu.cfs_quota_us": "-1",
		"cpuacct.usage": "0", "cpuacct.usage_user": "0", "cpuacct.usage_sys": "0", "freezer.state": "THAWED",
		"cpuset.cpus": "", "cpuset.mems": "",
	}
	if noSwap {
		delete(m, "memory.swap.max")
		delete(m, "memory.memsw.limit_in_bytes")
	}
	return m
}

// fakeTree is a fake cgroup2 mount with a delegated cgroup /deleg whose
// only process lives in /deleg/supervisor, as systemd's
// DelegateSubgroup=supervisor arranges.
type fakeTree struct {
	root, mnt string
	k         *fakeKernel
}

func newFakeV2(t *testing.T, k *fakeKernel) *fakeTree {
	t.Helper()
	ft := &fakeTree{root: t.TempDir(), k: k}
	ft.mnt = filepath.Join(ft.root, "cg")
	must(t, os.Mkdir(ft.mnt, 0o755))
	ft.file(t, "/cgroup.controllers", "cpuset cpu io memory pids")
	ft.file(t, "/cgroup.subtree_control", "cpu memory pids")
	ft.file(t, "/cgroup.procs", "1\n2\n")
	must(t, k.mkdir(filepath.Join(ft.mnt, "deleg")))
	must(t, k.mkdir(filepath.Join(ft.mnt, "deleg", "supervisor")))
	ft.file(t, "/deleg/supervisor/cgroup.procs", "4242\n")
	return ft
}

func (ft *fakeTree) file(t *testing.T, rel, content string) {
	t.Helper()
	must(t, os.WriteFile(filepath.Join(ft.mnt, rel), []byte(content), 0o644))
}

func (ft *fakeTree) read(t *testing.T, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(ft.mnt, rel))
	must(t, err)
	return strings.TrimSpace(string(b))
}

func (ft *fakeTree) detect(euid int, ro bool, o Options) *Host {
	opts := "rw"
	if ro {
		opts = "ro"
	}
	mi := fmt.Sprintf("35 24 0:30 / %s %s,nosuid - cgroup2 cgroup2 rw,nsdelegate\n", ft.mnt, opts)
	return detect(facts{mountinfo: []byte(mi), ownCgroup: []byte("0::/deleg/supervisor\n"), euid: euid, owner: testOwner, fs: ft.k}, o)
}

var testOwner = owner{pidns: 1, pid: 4242, start: 77}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestFakeV2OwnCgroupHoldsCaller(t *testing.T) {
	k := &fakeKernel{}
	ft := newFakeV2(t, k)
	ft.file(t, "/deleg/supervisor/cgroup.controllers", "cpu memory pids")
	h := ft.detect(1000, false, Options{})
	if h.Mode() != V2 || h.Have() != CPUTime {
		t.Fatalf("Mode = %v, Have = %v; want v2 with CPU time only", h.Mode(), h.Have())
	}
	if why := h.Why(Memory); !strings.Contains(why, "holds 1 processes") {
		t.Errorf("Why(Memory) = %q", why)
	}
	_, err := h.New("a", Limits{MemoryBytes: 1 << 20})
	if !errors.Is(err, ErrNoController) {
		t.Fatalf("New with a memory limit = %v, want ErrNoController", err)
	}
	if _, err := os.Stat(filepath.Join(ft.mnt, "deleg/supervisor/procjail")); err == nil {
		t.Errorf("a failed New made procjail/: plan must fail before any mkdir")
	}
	g, err := h.New("b", Limits{})
	must(t, err)
	t.Cleanup(func() { g.Remove() })
	if want := filepath.Join(ft.mnt, "deleg/supervisor/procjail", leafName(testOwner, "b")); g.v2 != want {
		t.Errorf("group at %s, want %s", g.v2, want)
	}
	for _, w := range k.writesUnder(ft.mnt) {
		if strings.Contains(w, "subtree_control") {
			t.Errorf("enabled a controller below a cgroup with processes: %s", w)
		}
	}
}

func TestFakeV2DelegatedBase(t *testing.T) {
	k := &fakeKernel{}
	ft := newFakeV2(t, k)
	h := ft.detect(1000, false, Options{V2Base: ".."})
	if h.Mode() != V2 || h.Have() != Memory|Pids|CPU|CPUTime {
		t.Fatalf("Mode = %v, Have = %v (why memory: %s)", h.Mode(), h.Have(), h.Why(Memory))
	}
	g, err := h.New("job", Limits{MemoryBytes: 256 << 20, Pids: 16, CPUWeight: 50, CPUQuotaMilli: 500})
	must(t, err)
	t.Cleanup(func() { g.Remove() })
	leaf := "/deleg/procjail/" + leafName(testOwner, "job")
	want := []string{
		"/deleg/cgroup.subtree_control=+memory", "/deleg/cgroup.subtree_control=+pids", "/deleg/cgroup.subtree_control=+cpu",
		"/deleg/procjail/cgroup.subtree_control=+memory", "/deleg/procjail/cgroup.subtree_control=+pids", "/deleg/procjail/cgroup.subtree_control=+cpu",
		leaf + "/memory.max=268435456", leaf + "/memory.swap.max=0", leaf + "/pids.max=16",
		leaf + "/cpu.weight=50", leaf + "/cpu.max=50000 100000",
	}
	if diff := cmp.Diff(want, k.writesUnder(ft.mnt)); diff != "" {
		t.Errorf("writes (-want +got):\n%s", diff)
	}
	if g.Mode() != V2 || ft.read(t, leaf+"/cgroup.controllers") != "memory pids cpu" {
		t.Errorf("group mode %v, controllers %q", g.Mode(), ft.read(t, leaf+"/cgroup.controllers"))
	}
	if fd, ok := g.CloneFD(); !ok || fd < 0 {
		t.Errorf("CloneFD = %d, %v; want an open v2 directory", fd, ok)
	}
	must(t, g.AddProc(123))
	if got := ft.read(t, leaf+"/cgroup.procs"); got != "123" {
		t.Errorf("cgroup.procs = %q after AddProc(123)", got)
	}
	ft.file(t, leaf+"/memory.peak", "1000\n")
	ft.file(t, leaf+"/memory.events", "low 0\nhigh 0\nmax 9\noom 2\noom_kill 2\n")
	ft.file(t, leaf+"/pids.current", "3\n")
	ft.file(t, leaf+"/pids.peak", "16\n")
	ft.file(t, leaf+"/pids.events", "max 5\n")
	ft.file(t, leaf+"/cpu.stat", "usage_usec 1500000\nuser_usec 1000000\nsystem_usec 500000\n")
	st, err := g.Stats()
	must(t, err)
	wantSt := Stats{Have: Memory | Pids | CPUTime, MemoryPeak: 1000, OOMKills: 2, CPU: 1500e6, CPUUser: 1e9, CPUSystem: 500e6, PidsCurrent: 3, PidsPeak: 16, PidsLimitHits: 5}
	if diff := cmp.Diff(wantSt, st); diff != "" {
		t.Errorf("Stats (-want +got):\n%s", diff)
	}
	must(t, g.Remove())
	if _, err := os.Stat(filepath.Join(ft.mnt, leaf)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("group still there after Remove: %v", err)
	}
	if _, ok := g.CloneFD(); ok {
		t.Errorf("CloneFD still open after Remove")
	}
	must(t, g.Remove()) // again: nothing left, no error
}

func TestFakeV2NoSwapAccounting(t *testing.T) {
	k := &fakeKernel{noSwap: true}
	ft := newFakeV2(t, k)
	g, err := ft.detect(0, false, Options{V2Base: ".."}).New("x", Limits{MemoryBytes: 1 << 30})
	must(t, err)
	t.Cleanup(func() { g.Remove() })
	if got := ft.read(t, "/deleg/procjail/"+leafName(testOwner, "x")+"/memory.max"); got != "1073741824" {
		t.Errorf("memory.max = %q", got)
	}
}

func TestFakeV2Unusable(t *testing.T) {
	tests := []struct {
		name   string
		ro     bool
		deny   string // a path below the mount writable() denies
		opts   Options
		reason string
	}{
		{"read-only mount (a container)", true, "", Options{}, "mounted read-only"},
		{"base not delegated", false, "/deleg", Options{V2Base: ".."}, "is not writable by uid 1000: it is not delegated"},
		{"common ancestor's cgroup.procs", false, "/cgroup.procs", Options{V2Base: "/other"}, "needs write access to"},
		{"no such base", false, "", Options{V2Base: "/missing"}, "no such cgroup"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := &fakeKernel{readOnly: map[string]bool{}}
			ft := newFakeV2(t, k)
			must(t, k.mkdir(filepath.Join(ft.mnt, "other")))
			if tt.deny != "" {
				k.readOnly[filepath.Join(ft.mnt, tt.deny)] = true
			}
			h := ft.detect(1000, tt.ro, tt.opts)
			v2, _ := h.Describe()
			if h.Mode() != None || v2.Available || !strings.Contains(v2.Reason, tt.reason) || v2.Hint != HintDelegate {
				t.Errorf("Mode %v, v2 %+v; want none, reason containing %q", h.Mode(), v2, tt.reason)
			}
			_, err := h.New("x", Limits{})
			if !errors.Is(err, ErrNoCgroup) || !strings.Contains(err.Error(), "Delegate=yes") {
				t.Errorf("New = %v; want ErrNoCgroup with the delegation hint", err)
			}
		})
	}
}

func TestFakeNamespaceRootOutsideMount(t *testing.T) {
	mi := "600 500 0:30 /docker/abc /sys/fs/cgroup rw - cgroup2 cgroup rw\n"
	h := detect(facts{mountinfo: []byte(mi), ownCgroup: []byte("0::/elsewhere\n"), fs: &fakeKernel{}}, Options{})
	if v2, _ := h.Describe(); v2.Available || !strings.Contains(v2.Reason, "outside the cgroup2 mount") {
		t.Errorf("v2 = %+v", v2)
	}
}

// fakeV1 makes v1 hierarchies under a temporary directory: cpu and
// cpuacct co-mounted, pids co-mounted with cpuset, memory, freezer.
func fakeV1(t *testing.T, k *fakeKernel) (root string, mountinfo []byte) {
	root = t.TempDir()
	var b strings.Builder
	for i, h := range []string{"cpu,cpuacct", "memory", "freezer", "pids,cpuset"} {
		dir := filepath.Join(root, h)
		must(t, os.Mkdir(dir, 0o755))
		for name, content := range fakeFiles(k.noSwap) {
			must(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
		}
		fmt.Fprintf(&b, "%d 25 0:%d / %s rw,relatime - cgroup cgroup rw,%s\n", 30+i, 40+i, dir, h)
	}
	must(t, os.WriteFile(filepath.Join(root, "pids,cpuset", "cpuset.cpus"), []byte("0-1\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(root, "pids,cpuset", "cpuset.mems"), []byte("0\n"), 0o644))
	b.WriteString("41 25 0:50 / " + root + "/systemd rw - cgroup cgroup rw,name=systemd\n")
	return root, []byte(b.String())
}

func TestFakeV1Root(t *testing.T) {
	k := &fakeKernel{}
	root, mi := fakeV1(t, k)
	h := detect(facts{mountinfo: mi, ownCgroup: []byte("4:memory:/process_api/x\n"), owner: testOwner, fs: k}, Options{})
	if h.Mode() != V1 || h.Have() != Memory|Pids|CPU|CPUTime {
		t.Fatalf("Mode %v, Have %v", h.Mode(), h.Have())
	}
	g, err := h.New("j", Limits{MemoryBytes: 64 << 20, Pids: 16, CPUQuotaMilli: 2000})
	must(t, err)
	t.Cleanup(func() { g.Remove() })
	leaf := leafName(testOwner, "j")
	var got []string
	for _, d := range g.Dirs() {
		if filepath.Base(d) != leaf || filepath.Base(filepath.Dir(d)) != groupsDir {
			t.Errorf("group dir %s is not <hierarchy root>/procjail/<leaf>", d)
		}
		got = append(got, strings.TrimPrefix(filepath.Dir(filepath.Dir(d)), root+"/"))
	}
	if diff := cmp.Diff([]string{"memory", "pids,cpuset", "cpu,cpuacct", "freezer"}, got); diff != "" {
		t.Errorf("hierarchies used, in plan order (-want +got):\n%s", diff)
	}
	rd := func(rel string) string {
		b, err := os.ReadFile(filepath.Join(root, rel))
		must(t, err)
		return strings.TrimSpace(string(b))
	}
	for file, want := range map[string]string{
		"memory/procjail/" + leaf + "/memory.limit_in_bytes":       "67108864",
		"memory/procjail/" + leaf + "/memory.memsw.limit_in_bytes": "67108864",
		"memory/procjail/" + leaf + "/memory.swappiness":           "0",
		"pids,cpuset/procjail/" + leaf + "/pids.max":               "16",
		"pids,cpuset/procjail/" + leaf + "/cpuset.cpus":            "0-1",
		"pids,cpuset/procjail/cpuset.mems":                         "0",
		"cpu,cpuacct/procjail/" + leaf + "/cpu.cfs_quota_us":       "200000",
	} {
		if got := rd(file); got != want {
			t.Errorf("%s = %q, want %q", file, got, want)
		}
	}
	if _, ok := g.CloneFD(); ok {
		t.Errorf("CloneFD ok on a v1-only group")
	}
	must(t, g.AddProc(99))
	if got := rd("freezer/procjail/" + leaf + "/cgroup.procs"); got != "99" {
		t.Errorf("freezer cgroup.procs = %q", got)
	}
	os.WriteFile(filepath.Join(root, "cpu,cpuacct/procjail", leaf, "cpuacct.usage"), []byte("2500000000\n"), 0o644)
	if d, err := g.CPUUsage(); err != nil || d.Seconds() != 2.5 {
		t.Errorf("CPUUsage = %v, %v; want 2.5s", d, err)
	}
	os.WriteFile(filepath.Join(root, "memory/procjail", leaf, "memory.oom_control"), []byte("oom_kill_disable 0\nunder_oom 0\noom_kill 4\n"), 0o644)
	if st, err := g.Stats(); err != nil || st.OOMKills != 4 {
		t.Errorf("Stats = %+v, %v; want 4 OOM kills", st, err)
	}
}

func TestFakeV1Unprivileged(t *testing.T) {
	k := &fakeKernel{}
	_, mi := fakeV1(t, k)
	h := detect(facts{mountinfo: mi, euid: 1000, owner: testOwner, fs: k}, Options{})
	_, v1 := h.Describe()
	if h.Mode() != None || v1.Available || !strings.Contains(v1.Reason, "only as root") {
		t.Errorf("Mode %v, v1 %+v", h.Mode(), v1)
	}
	if _, err := h.New("x", Limits{Pids: 5}); !errors.Is(err, ErrNoCgroup) {
		t.Errorf("New = %v, want ErrNoCgroup", err)
	}
}

func TestFakeNewCleansUpOnFailure(t *testing.T) {
	k := &fakeKernel{}
	root, mi := fakeV1(t, k)
	h := detect(facts{mountinfo: mi, owner: testOwner, fs: k}, Options{})
	// The pids hierarchy refuses the group: an existing directory of that
	// name (New never adopts one).
	leaf := leafName(testOwner, "dup")
	must(t, os.MkdirAll(filepath.Join(root, "pids,cpuset", groupsDir, leaf), 0o755))
	if _, err := h.New("dup", Limits{}); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("New over an existing group = %v, want EEXIST", err)
	}
	if _, err := os.Stat(filepath.Join(root, "memory", groupsDir, leaf)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the memory group made before the failure was left behind")
	}
	if _, err := os.Stat(filepath.Join(root, "pids,cpuset", groupsDir, leaf)); err != nil {
		t.Errorf("New removed a group it did not make: %v", err)
	}
}

func TestFakeReclaimStale(t *testing.T) {
	k := &fakeKernel{}
	ft := newFakeV2(t, k)
	me, err := ownerOf(os.Getpid())
	must(t, err)
	mi := fmt.Sprintf("35 24 0:30 / %s rw - cgroup2 cgroup2 rw\n", ft.mnt)
	h := detect(facts{mountinfo: []byte(mi), ownCgroup: []byte("0::/deleg\n"), owner: me, fs: k}, Options{})
	parent := filepath.Join(ft.mnt, "deleg", groupsDir)
	must(t, k.mkdir(parent))
	reused := owner{pidns: me.pidns, pid: me.pid, start: me.start + 1} // our pid, another start: a reused pid
	otherNS := owner{pidns: me.pidns + 1, pid: 1, start: 1}
	for _, o := range []owner{me, reused, otherNS} {
		must(t, k.mkdir(filepath.Join(parent, leafName(o, "g"))))
	}
	must(t, os.Mkdir(filepath.Join(parent, "not-ours"), 0o755))
	n, err := h.ReclaimStale()
	if err != nil || n != 1 {
		t.Fatalf("ReclaimStale = %d, %v; want 1", n, err)
	}
	for o, want := range map[owner]bool{me: true, reused: false, otherNS: true} {
		_, err := os.Stat(filepath.Join(parent, leafName(o, "g")))
		if (err == nil) != want {
			t.Errorf("group of %+v exists = %v, want %v", o, err == nil, want)
		}
	}
	if _, err := os.Stat(filepath.Join(parent, "not-ours")); err != nil {
		t.Errorf("ReclaimStale removed a directory it did not name: %v", err)
	}
}

// TestFakeHybrid is this CI host's layout: v1 controllers, and a cgroup2
// mount whose root offers none of memory, pids, cpu.
func TestFakeHybrid(t *testing.T) {
	k := &fakeKernel{}
	root, mi := fakeV1(t, k)
	uni := filepath.Join(root, "unified")
	must(t, os.Mkdir(uni, 0o755))
	for name, content := range map[string]string{"cgroup.controllers": "hugetlb", "cgroup.subtree_control": "", "cgroup.procs": "1\n"} {
		must(t, os.WriteFile(filepath.Join(uni, name), []byte(content), 0o644))
	}
	mi = append(mi, []byte("42 25 0:51 / "+uni+" rw,relatime - cgroup2 cgroup2 rw\n")...)
	own := []byte("9:name=systemd:/\n4:memory:/process_api/d1ee\n0::/\n")
	h := detect(facts{mountinfo: mi, ownCgroup: own, owner: testOwner, fs: k}, Options{})
	if h.Mode() != Hybrid || h.Have() != Memory|Pids|CPU|CPUTime {
		t.Fatalf("Mode %v, Have %v", h.Mode(), h.Have())
	}
	g, err := h.New("h", Limits{MemoryBytes: 1 << 30, Pids: 9})
	must(t, err)
	t.Cleanup(func() { g.Remove() })
	leaf := leafName(testOwner, "h")
	want := []string{
		filepath.Join(uni, groupsDir, leaf),
		filepath.Join(root, "memory", groupsDir, leaf),
		filepath.Join(root, "pids,cpuset", groupsDir, leaf),
	}
	if diff := cmp.Diff(want, g.Dirs()); diff != "" {
		t.Errorf("Dirs (-want +got):\n%s", diff)
	}
	if d := g.at[CPUTime]; d.dir != want[0] || !d.v2 {
		t.Errorf("CPU time read from %+v, want the v2 group's cpu.stat", d)
	}
	for _, w := range k.writesUnder(root) {
		if strings.Contains(w, "subtree_control") {
			t.Errorf("enabled a v2 controller the root does not have: %s", w)
		}
	}
}
