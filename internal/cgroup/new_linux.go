package cgroup

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// New makes the group for one sandbox and sets its limits. name must be
// unique among this process's live groups (1 to 64 letters, digits, '_',
// '.', '-'). It fails with ErrNoCgroup when no group can be made here, and
// with ErrNoController when a limit cannot be set; then nothing is left
// behind. The caller must Remove the group.
func (h *Host) New(name string, l Limits) (*Group, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	if err := l.Validate(); err != nil {
		return nil, err
	}
	return h.newGroup(leafName(h.owner, name), l)
}

func (h *Host) newGroup(leaf string, l Limits) (*Group, error) {
	p, err := h.plan(l)
	if err != nil {
		return nil, fmt.Errorf("cgroup: making group %s: %w", leaf, err)
	}
	g := &Group{fs: h.fs, leaf: leaf, fd: -1, at: map[Resource]resDir{}}
	if err := g.build(h, p, l); err != nil {
		if rerr := g.Remove(); rerr != nil {
			err = errors.Join(err, rerr)
		}
		return nil, fmt.Errorf("cgroup: making group %s: %w", leaf, err)
	}
	return g, nil
}

func (g *Group) build(h *Host, p plan, l Limits) error {
	if p.v2 {
		if err := g.makeV2(h.v2.base, p.v2ctrl); err != nil {
			return err
		}
	}
	for _, hr := range p.v1 {
		if err := g.makeV1(hr); err != nil {
			return err
		}
	}
	g.locate(p)
	return g.apply(l)
}

// makeV2 makes <base>/procjail/<leaf> with the controllers enabled on the
// way down, and opens it for CLONE_INTO_CGROUP.
func (g *Group) makeV2(base string, ctrls []string) error {
	parent := filepath.Join(base, groupsDir)
	if err := enable(g.fs, base, ctrls); err != nil {
		return err
	}
	if err := mkdirExisting(g.fs, parent); err != nil {
		return err
	}
	if err := enable(g.fs, parent, ctrls); err != nil {
		return err
	}
	dir := filepath.Join(parent, g.leaf)
	if err := g.fs.mkdir(dir); err != nil {
		return err // never adopt a group that already exists
	}
	g.v2 = dir
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return pathErr("open", dir, err)
	}
	g.fd = fd
	return nil
}

// enable enables controllers in a cgroup's cgroup.subtree_control, one at
// a time so that an error names the controller.
func enable(f fsys, dir string, ctrls []string) error {
	file := filepath.Join(dir, "cgroup.subtree_control")
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	for _, c := range ctrls {
		if has(words(b), c) {
			continue
		}
		if err := f.write(file, "+"+c); err != nil {
			return fmt.Errorf("enabling the %s controller below %s: %w%s", c, dir, err, busyHint(err))
		}
	}
	return nil
}

func busyHint(err error) string {
	if errors.Is(err, unix.EBUSY) {
		return " (the cgroup holds processes; cgroup v2 enables controllers below a cgroup only when it holds none)"
	}
	return ""
}

// makeV1 makes <mount>/procjail/<leaf> in one v1 hierarchy.
func (g *Group) makeV1(hr *v1Hier) error {
	parent := filepath.Join(hr.mount, groupsDir)
	if err := mkdirExisting(g.fs, parent); err != nil {
		return err
	}
	dir := filepath.Join(parent, g.leaf)
	if err := g.fs.mkdir(dir); err != nil {
		return err
	}
	g.v1 = append(g.v1, v1Dir{dir: dir, ctrls: hr.ctrls})
	if has(hr.ctrls, "cpuset") {
		return inheritCpuset(g.fs, hr.mount, parent, dir)
	}
	return nil
}

// inheritCpuset fills the empty cpuset.cpus and cpuset.mems a new v1
// cpuset group starts with (no task can join it otherwise) from its parent.
func inheritCpuset(f fsys, dirs ...string) error {
	for i := 1; i < len(dirs); i++ {
		for _, name := range []string{"cpuset.cpus", "cpuset.mems"} {
			cur, _ := os.ReadFile(filepath.Join(dirs[i], name))
			if strings.TrimSpace(string(cur)) != "" {
				continue
			}
			from, err := os.ReadFile(filepath.Join(dirs[i-1], name))
			if err != nil {
				return err
			}
			if err := f.write(filepath.Join(dirs[i], name), strings.TrimSpace(string(from))); err != nil {
				return err
			}
		}
	}
	return nil
}

// locate records where each resource's files are.
func (g *Group) locate(p plan) {
	for r, src := range p.at {
		if src == fromV2 {
			g.at[r] = resDir{dir: g.v2, v2: true}
		} else if dir, ok := g.v1With(v1Ctrl(r)); ok {
			g.at[r] = resDir{dir: dir}
		}
	}
}

func (g *Group) apply(l Limits) error {
	for _, r := range []Resource{Memory, Pids, CPU} {
		d, ok := g.at[r]
		if !ok {
			continue
		}
		for _, w := range limitWrites(l, r, d.v2) {
			err := g.fs.write(filepath.Join(d.dir, w.file), w.value)
			if err != nil && !(w.optional && errors.Is(err, fs.ErrNotExist)) {
				return fmt.Errorf("setting the %s limit: %w", r, err)
			}
		}
	}
	return nil
}

// CloneFD returns an open descriptor of the group's v2 directory, for
// SysProcAttr.UseCgroupFD and CgroupFD: the child is then born inside the
// group (CLONE_INTO_CGROUP). ok is false when the group has no v2 part (a
// v1 directory fails at clone with EBADF). The descriptor belongs to the
// group; Remove closes it.
func (g *Group) CloneFD() (fd int, ok bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.fd, g.fd >= 0
}

// AddProc moves a process into every part of the group. Call it for every
// sandbox, before the child forks or runs untrusted code (make it wait on
// a pipe): v1 groups have no clone-time placement, and only children
// forked after the move inherit the group. Moving a process already in
// the group is harmless.
func (g *Group) AddProc(pid int) error {
	for _, dir := range g.Dirs() {
		if err := g.fs.write(filepath.Join(dir, "cgroup.procs"), strconv.Itoa(pid)); err != nil {
			return fmt.Errorf("cgroup: moving pid %d into %s: %w", pid, dir, err)
		}
	}
	return nil
}

// Remove deletes the group's directories, and any group below them. Its
// processes must be gone (Kill); Remove retries briefly while the kernel
// finishes their exit. Removing a removed group is not an error.
func (g *Group) Remove() error {
	g.mu.Lock()
	if g.fd >= 0 {
		unix.Close(g.fd)
		g.fd = -1
	}
	g.mu.Unlock()
	deadline := time.Now().Add(removeWait)
	var errs []error
	for _, dir := range g.Dirs() {
		if err := removeTree(g.fs, dir, deadline); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("cgroup: removing group %s: %w (kill its processes first)", g.leaf, err)
	}
	return nil
}

// SetLimits writes new limits into an existing group (made with limits on
// the same resources): a group made ahead of time gets its sandbox's
// limits when the sandbox is known.
func (g *Group) SetLimits(l Limits) error {
	if err := l.Validate(); err != nil {
		return err
	}
	return g.apply(l)
}
