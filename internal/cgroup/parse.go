package cgroup

import (
	"bytes"
	"fmt"
	"math"
	"path"
	"strconv"
	"strings"
)

// mount is one line of /proc/self/mountinfo, as far as cgroups care.
type mount struct {
	root   string   // the path of the mounted tree inside its filesystem
	point  string   // where it is mounted
	opts   []string // per-mount options (rw, ro, nosuid...)
	fstype string
	super  []string // per-superblock options: a v1 mount's controllers
}

// readOnly reports whether writes through the mount fail with EROFS.
func (m mount) readOnly() bool { return has(m.opts, "ro") || has(m.super, "ro") }

// parseMountinfo parses /proc/self/mountinfo (proc(5)): "ID PARENT MAJ:MIN
// ROOT POINT OPTS [OPTIONAL...] - FSTYPE SOURCE SUPER". Malformed lines are
// skipped.
func parseMountinfo(b []byte) []mount {
	var out []mount
	for _, line := range strings.Split(string(b), "\n") {
		if m, ok := parseMountLine(line); ok {
			out = append(out, m)
		}
	}
	return out
}

func parseMountLine(line string) (mount, bool) {
	f := strings.Fields(line)
	sep := -1
	for i := 6; i < len(f); i++ {
		if f[i] == "-" {
			sep = i
			break
		}
	}
	if sep < 0 || sep+1 >= len(f) {
		return mount{}, false
	}
	m := mount{root: unescapeMount(f[3]), point: unescapeMount(f[4]), opts: strings.Split(f[5], ","), fstype: f[sep+1]}
	if sep+3 < len(f) {
		m.super = strings.Split(f[sep+3], ",")
	}
	return m, true
}

// unescapeMount undoes mountinfo's octal escapes (\040 for a space).
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+4 <= len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(v))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// v1Known are the cgroup v1 controllers; a v1 mount's super options list
// the ones bound to it among other options.
var v1Known = []string{"blkio", "cpu", "cpuacct", "cpuset", "devices", "freezer", "hugetlb", "memory", "misc", "net_cls", "net_prio", "perf_event", "pids", "rdma"}

// v1Controllers picks the controller names out of a v1 mount's options.
func v1Controllers(super []string) []string {
	var out []string
	for _, o := range super {
		if has(v1Known, o) {
			out = append(out, o)
		}
	}
	return out
}

// parseOwnV2 returns the cgroup v2 path in /proc/self/cgroup (the "0::"
// line), relative to this process's cgroup namespace.
func parseOwnV2(b []byte) (string, bool) {
	for _, line := range strings.Split(string(b), "\n") {
		if p, ok := strings.CutPrefix(line, "0::"); ok && p != "" {
			return p, true
		}
	}
	return "", false
}

// underRoot turns a cgroup path into a path below a mount whose root is
// root. It fails for paths outside the mounted tree, such as "/.." paths
// of cgroups outside this process's cgroup namespace.
func underRoot(p, root string) (string, bool) {
	if strings.HasPrefix(p, "/..") || !path.IsAbs(p) {
		return "", false
	}
	if root == "/" {
		return p, true
	}
	if p == root {
		return "/", true
	}
	rest, ok := strings.CutPrefix(p, root+"/")
	if !ok {
		return "", false
	}
	return "/" + rest, true
}

// resolveBase applies Options.V2Base to the caller's own cgroup path: an
// absolute cgroup path, or one relative to own. Results never rise above
// the root.
func resolveBase(own, spec string) string {
	switch {
	case spec == "":
		return own
	case strings.HasPrefix(spec, "/"):
		return path.Clean(spec)
	}
	return path.Join(own, spec)
}

// commonAncestor returns the deepest cgroup path that is an ancestor of
// (or equal to) both a and b.
func commonAncestor(a, b string) string {
	as, bs := strings.Split(strings.Trim(a, "/"), "/"), strings.Split(strings.Trim(b, "/"), "/")
	var out []string
	for i := 0; i < len(as) && i < len(bs) && as[i] == bs[i] && as[i] != ""; i++ {
		out = append(out, as[i])
	}
	return "/" + strings.Join(out, "/")
}

// parseKeyed parses a flat keyed file ("key value" per line), such as
// cpu.stat, memory.events, pids.events or memory.oom_control.
func parseKeyed(b []byte) map[string]uint64 {
	out := map[string]uint64{}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) != 2 {
			continue
		}
		if v, err := parseValue(f[1]); err == nil {
			out[f[0]] = v
		}
	}
	return out
}

// parseValue parses a single-value cgroup file: a number, or "max".
func parseValue(s string) (uint64, error) {
	s = strings.TrimSpace(s)
	if s == "max" {
		return math.MaxUint64, nil
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("not a cgroup value: %q", s)
	}
	return v, nil
}

// parsePids parses cgroup.procs: one pid per line.
func parsePids(b []byte) []int {
	var out []int
	for _, f := range bytes.Fields(b) {
		if pid, err := strconv.Atoi(string(f)); err == nil && pid > 0 {
			out = append(out, pid)
		}
	}
	return out
}

// words splits a space-separated list such as cgroup.controllers.
func words(b []byte) []string { return strings.Fields(string(b)) }

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
