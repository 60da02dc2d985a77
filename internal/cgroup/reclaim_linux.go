package cgroup

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// ReclaimStale kills and removes the groups left behind by procjail
// processes that are gone (crashed, or killed before they could Remove),
// and returns how many it removed. A group is stale when the process its
// name records (same pid namespace as this one) no longer exists, or a
// different process now holds its pid. Groups of live processes, and of
// processes in other pid namespaces, are left alone. Any process still in
// a stale group is an orphaned sandbox and is killed.
func (h *Host) ReclaimStale() (int, error) {
	stale := map[string][]string{} // leaf name -> its directories
	for _, parent := range h.groupParents() {
		ents, err := os.ReadDir(parent)
		if err != nil {
			continue // no procjail/ there yet
		}
		for _, e := range ents {
			if o, _, ok := parseLeafName(e.Name()); ok && e.IsDir() && h.isStale(o) {
				stale[e.Name()] = append(stale[e.Name()], filepath.Join(parent, e.Name()))
			}
		}
	}
	n := 0
	var errs []error
	for leaf, dirs := range stale {
		g := h.adopt(leaf, dirs)
		if err := errors.Join(g.Kill(), g.Remove()); err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	if err := errors.Join(errs...); err != nil {
		return n, fmt.Errorf("cgroup: reclaiming stale groups: %w", err)
	}
	return n, nil
}

// groupParents lists the procjail/ directories this host's groups go in.
func (h *Host) groupParents() []string {
	var out []string
	if h.v2.err == nil {
		out = append(out, filepath.Join(h.v2.base, groupsDir))
	}
	seen := map[*v1Hier]bool{}
	for _, hr := range h.v1 {
		if hr.err == nil && !seen[hr] {
			seen[hr] = true
			out = append(out, filepath.Join(hr.mount, groupsDir))
		}
	}
	return out
}

// isStale reports whether o, a process of this pid namespace, is gone.
func (h *Host) isStale(o owner) bool {
	if o.pidns != h.owner.pidns {
		return false
	}
	st, err := os.ReadFile("/proc/" + strconv.Itoa(o.pid) + "/stat")
	if err != nil {
		return errors.Is(err, os.ErrNotExist)
	}
	start, err := parseStartTime(st)
	return err == nil && start != o.start
}

// adopt rebuilds the Group of existing directories, enough to kill its
// processes and remove it.
func (h *Host) adopt(leaf string, dirs []string) *Group {
	g := &Group{fs: h.fs, leaf: leaf, fd: -1, at: map[Resource]resDir{}}
	for _, dir := range dirs {
		if h.v2.err == nil && filepath.Dir(dir) == filepath.Join(h.v2.base, groupsDir) {
			g.v2 = dir
			continue
		}
		for _, hr := range h.v1 {
			if filepath.Dir(dir) == filepath.Join(hr.mount, groupsDir) {
				g.v1 = append(g.v1, v1Dir{dir: dir, ctrls: hr.ctrls})
				break
			}
		}
	}
	return g
}
