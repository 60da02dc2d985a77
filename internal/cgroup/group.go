package cgroup

import "sync"

// Group is one sandbox's cgroup: a v2 group, v1 groups (one per
// hierarchy), or both. Its methods are safe for concurrent use.
type Group struct {
	fs   fsys
	leaf string              // directory name of the group in every hierarchy
	v2   string              // the v2 group's directory; "" when none
	v1   []v1Dir             // the v1 groups' directories
	at   map[Resource]resDir // where each resource's files are

	mu       sync.Mutex
	fd       int    // open v2 directory for CLONE_INTO_CGROUP; -1 when none
	pidsSeen uint64 // highest pids.current read, for kernels without pids.peak
}

// v1Dir is a group's directory in one v1 hierarchy.
type v1Dir struct {
	dir   string
	ctrls []string
}

// resDir is the directory holding a resource's files, and whether it
// speaks the v2 interface.
type resDir struct {
	dir string
	v2  bool
}

// Dirs returns the group's directories: the v2 group first, if any, then
// the v1 groups.
func (g *Group) Dirs() []string {
	var out []string
	if g.v2 != "" {
		out = append(out, g.v2)
	}
	for _, d := range g.v1 {
		out = append(out, d.dir)
	}
	return out
}

// Mode says which interfaces the group uses.
func (g *Group) Mode() Mode {
	switch {
	case g.v2 != "" && len(g.v1) > 0:
		return Hybrid
	case g.v2 != "":
		return V2
	case len(g.v1) > 0:
		return V1
	}
	return None
}

// v1With returns the group's directory in the v1 hierarchy that has ctrl.
func (g *Group) v1With(ctrl string) (string, bool) {
	for _, d := range g.v1 {
		if has(d.ctrls, ctrl) {
			return d.dir, true
		}
	}
	return "", false
}

// fsys is the file operations that change cgroups, so that tests can
// fake a kernel's cgroupfs on a plain directory. Reads use package os.
type fsys interface {
	mkdir(path string) error
	rmdir(path string) error
	write(path, value string) error
	writable(path string) bool
}
