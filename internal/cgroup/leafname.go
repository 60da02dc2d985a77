package cgroup

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// owner identifies the process that created a group: a pid is unique in
// its pid namespace for as long as the process that holds it, and its
// start time tells a reused pid apart.
type owner struct {
	pidns uint64 // inode of the pid namespace
	pid   int
	start uint64 // start time, in clock ticks since boot (/proc/PID/stat field 22)
}

// leafPrefix starts every leaf name procjail makes.
const leafPrefix = "pj-"

// leafName is a group's directory name: pj-PIDNS-PID-START-NAME.
func leafName(o owner, name string) string {
	return fmt.Sprintf("%s%d-%d-%d-%s", leafPrefix, o.pidns, o.pid, o.start, name)
}

// parseLeafName undoes leafName.
func parseLeafName(s string) (owner, string, bool) {
	rest, ok := strings.CutPrefix(s, leafPrefix)
	if !ok {
		return owner{}, "", false
	}
	f := strings.SplitN(rest, "-", 4)
	if len(f) != 4 || checkName(f[3]) != nil {
		return owner{}, "", false
	}
	ns, err1 := strconv.ParseUint(f[0], 10, 64)
	pid, err2 := strconv.Atoi(f[1])
	start, err3 := strconv.ParseUint(f[2], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || pid <= 0 {
		return owner{}, "", false
	}
	return owner{pidns: ns, pid: pid, start: start}, f[3], true
}

// checkName accepts 1 to 64 letters, digits, '_', '.' and '-'.
func checkName(name string) error {
	if name == "" || len(name) > 64 {
		return fmt.Errorf("cgroup: group name %q: want 1 to 64 characters", name)
	}
	for _, c := range []byte(name) {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-'
		if !ok {
			return fmt.Errorf("cgroup: group name %q: only letters, digits, '_', '.' and '-' are allowed", name)
		}
	}
	return nil
}

// parseStartTime reads the start time (field 22) from /proc/PID/stat. The
// command name (field 2) may hold spaces and parentheses, so fields are
// counted after the last ')'.
func parseStartTime(stat []byte) (uint64, error) {
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, fmt.Errorf("malformed /proc stat: no ')'")
	}
	f := bytes.Fields(stat[i+1:])
	const startField = 22 - 3 // fields after ')' start at field 3 (state)
	if len(f) <= startField {
		return 0, fmt.Errorf("malformed /proc stat: %d fields after the command", len(f))
	}
	return strconv.ParseUint(string(f[startField]), 10, 64)
}
