package cgroup

import (
	"fmt"
	"strings"
)

// baseState is what decides which controllers cgroup v2 offers below the
// base cgroup.
type baseState struct {
	name      string   // cgroup path, for messages
	avail, on []string // cgroup.controllers, cgroup.subtree_control
	procs     int      // processes in the base itself
	root      bool     // the hierarchy's real root
	canEnable bool     // cgroup.subtree_control is writable
}

// v2Wanted are the controllers procjail uses on cgroup v2.
var v2Wanted = []string{"memory", "pids", "cpu"}

// controllers says, for each wanted controller, whether groups below the
// base can have it and, if not, why.
func (b baseState) controllers() (map[string]bool, map[string]string) {
	ok, why := map[string]bool{}, map[string]string{}
	for _, c := range v2Wanted {
		why[c] = b.why(c)
		ok[c] = why[c] == ""
	}
	return ok, why
}

func (b baseState) why(c string) string {
	switch {
	case has(b.on, c):
		return ""
	case !has(b.avail, c):
		return fmt.Sprintf("cgroup %s does not have the %s controller (its cgroup.controllers: %q): it is not enabled above it, or is bound to a cgroup v1 hierarchy", b.name, c, strings.Join(b.avail, " "))
	case b.procs > 0 && !b.root:
		return fmt.Sprintf("cgroup %s holds %d processes, and cgroup v2 enables controllers below a cgroup only when it holds none; procjail never moves its caller, so give it an empty base", b.name, b.procs)
	case !b.canEnable:
		return fmt.Sprintf("cgroup %s's cgroup.subtree_control is not writable", b.name)
	}
	return ""
}
