package cgroup

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// Detect reads this host's cgroup layout from /proc/self/mountinfo and
// /proc/self/cgroup, and checks what this process may write. It never
// writes. An error means /proc could not be read; a host without usable
// cgroups gives a Host whose Mode is None.
func Detect() (*Host, error) { return DetectWith(Options{}) }

// DetectWith is Detect with options.
func DetectWith(o Options) (*Host, error) {
	mi, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return nil, fmt.Errorf("cgroup: reading the mount table: %w", err)
	}
	cg, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return nil, fmt.Errorf("cgroup: reading this process's cgroups: %w", err)
	}
	me, err := ownerOf(os.Getpid())
	if err != nil {
		return nil, fmt.Errorf("cgroup: identifying this process: %w", err)
	}
	return detect(facts{mountinfo: mi, ownCgroup: cg, euid: os.Geteuid(), owner: me, fs: kernelFS{}}, o), nil
}

// facts are Detect's inputs, so tests can describe any host.
type facts struct {
	mountinfo, ownCgroup []byte
	euid                 int
	owner                owner
	fs                   fsys
}

func detect(f facts, o Options) *Host {
	mounts := parseMountinfo(f.mountinfo)
	h := &Host{fs: f.fs, owner: f.owner, v1: map[string]*v1Hier{}}
	h.v2 = detectV2(f, mounts, o)
	for _, m := range mounts {
		if m.fstype == "cgroup" {
			h.addV1(f, m)
		}
	}
	return h
}

func detectV2(f facts, mounts []mount, o Options) v2Host {
	m, ok := findV2(mounts)
	if !ok {
		return v2Host{err: errors.New("no cgroup2 filesystem is mounted")}
	}
	v := v2Host{mount: m.point}
	own, ok := parseOwnV2(f.ownCgroup)
	if !ok {
		v.err = errors.New("/proc/self/cgroup has no cgroup v2 entry")
		return v
	}
	base := resolveBase(own, o.V2Base)
	rel, ok := underRoot(base, m.root)
	if !ok {
		v.err = fmt.Errorf("cgroup %s is outside the cgroup2 mount at %s (whose root is %s)", base, m.point, m.root)
		return v
	}
	v.base = filepath.Join(m.point, rel)
	if v.err = checkV2Base(f, m, own, base, v.base); v.err == nil {
		v.ctrlOK, v.ctrlWhy = readBase(f.fs, base, v.base).controllers()
	}
	return v
}

func findV2(mounts []mount) (mount, bool) {
	for _, m := range mounts {
		if m.fstype == "cgroup2" {
			return m, true
		}
	}
	return mount{}, false
}

// checkV2Base checks that groups can be made under the base and processes
// moved into them: the base must be writable, and so must cgroup.procs of
// the common ancestor of this process's cgroup and the new group.
func checkV2Base(f facts, m mount, own, base, dir string) error {
	if m.readOnly() {
		return fmt.Errorf("cgroup2 at %s is mounted read-only", m.point)
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fmt.Errorf("cgroup %s: no such cgroup at %s", base, dir)
	}
	if !f.fs.writable(dir) {
		return fmt.Errorf("cgroup %s (%s) is not writable by uid %d: it is not delegated to this user", base, dir, f.euid)
	}
	anc, ok := underRoot(commonAncestor(own, base+"/"+groupsDir), m.root)
	if !ok {
		return fmt.Errorf("this process's cgroup %s is outside the cgroup2 mount at %s", own, m.point)
	}
	procs := filepath.Join(m.point, anc, "cgroup.procs")
	if !f.fs.writable(procs) {
		return fmt.Errorf("moving processes into %s needs write access to %s (the common ancestor with this process's cgroup %s), which uid %d lacks", base, procs, own, f.euid)
	}
	return nil
}

// readBase reads the state of the base cgroup that decides its
// controllers.
func readBase(f fsys, name, dir string) baseState {
	b := baseState{name: name, canEnable: f.writable(filepath.Join(dir, "cgroup.subtree_control"))}
	c, _ := os.ReadFile(filepath.Join(dir, "cgroup.controllers"))
	s, _ := os.ReadFile(filepath.Join(dir, "cgroup.subtree_control"))
	p, _ := os.ReadFile(filepath.Join(dir, "cgroup.procs"))
	b.avail, b.on, b.procs = words(c), words(s), len(parsePids(p))
	// The root cgroup has no cgroup.type, and is exempt from the
	// no-internal-process rule; a cgroup namespace's root is not.
	_, err := os.Stat(filepath.Join(dir, "cgroup.type"))
	b.root = errors.Is(err, os.ErrNotExist)
	return b
}

func (h *Host) addV1(f facts, m mount) {
	ctrls := v1Controllers(m.super)
	if len(ctrls) == 0 {
		return // a named hierarchy such as name=systemd
	}
	hr := &v1Hier{mount: m.point, ctrls: ctrls}
	switch {
	case f.euid != 0:
		hr.err = fmt.Errorf("cgroup v1 is used only as root (uid %d): a v1 hierarchy cannot be delegated safely", f.euid)
	case m.readOnly():
		hr.err = fmt.Errorf("cgroup v1 %s at %s is mounted read-only", ctrls[0], m.point)
	case !f.fs.writable(m.point):
		hr.err = fmt.Errorf("cgroup v1 %s at %s is not writable", ctrls[0], m.point)
	}
	for _, c := range ctrls {
		if h.v1[c] == nil {
			h.v1[c] = hr
		}
	}
}

// ownerOf identifies a live process.
func ownerOf(pid int) (owner, error) {
	st, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return owner{}, err
	}
	start, err := parseStartTime(st)
	if err != nil {
		return owner{}, err
	}
	fi, err := os.Stat("/proc/" + strconv.Itoa(pid) + "/ns/pid")
	if err != nil {
		return owner{}, err
	}
	return owner{pidns: fi.Sys().(*syscall.Stat_t).Ino, pid: pid, start: start}, nil
}
