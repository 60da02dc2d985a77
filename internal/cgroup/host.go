package cgroup

import (
	"fmt"
	"path/filepath"
	"strings"
)

// HintDelegate says how to get a cgroup v2 subtree procjail can use.
const HintDelegate = "give procjail a cgroup v2 subtree it may write whose own processes live elsewhere: " +
	"start it with `systemd-run [--user] -p Delegate=yes -p DelegateSubgroup=supervisor procjail ...` and cgroup base \"..\" " +
	"(a `systemd-run [--user] --scope -p Delegate=yes` scope gives placement, whole-tree kill and CPU time but no limits, " +
	"because the scope holds procjail itself); on a host with cgroup v1 controllers, run as root"

// groupsDir is the directory, under a base, that holds procjail's groups.
const groupsDir = "procjail"

// Options adjusts Detect.
type Options struct {
	// V2Base is the cgroup v2 cgroup to create groups under: a path from
	// the root of the hierarchy ("/a/b"), or one relative to this
	// process's own cgroup ("..": its parent, for systemd's
	// DelegateSubgroup=). Empty: this process's own cgroup.
	V2Base string
}

// Host is the cgroup layout of this host as this process sees it. Detect
// makes one; it never writes.
type Host struct {
	fs    fsys
	owner owner
	v2    v2Host
	v1    map[string]*v1Hier // by controller name
}

// v2Host is what cgroup v2 offers.
type v2Host struct {
	mount   string            // mount point; "" when none
	base    string            // directory of the base cgroup
	err     error             // why no v2 group can be made; nil when one can
	ctrlOK  map[string]bool   // memory, pids, cpu: usable below base
	ctrlWhy map[string]string // why a controller is not usable
}

// v1Hier is one cgroup v1 hierarchy.
type v1Hier struct {
	mount string   // mount point
	ctrls []string // controllers bound to it
	err   error    // why it cannot be used; nil when it can
}

// source says where a resource's files are.
type source int

const (
	fromNone source = iota
	fromV2
	fromV1
)

var allResources = []Resource{Memory, Pids, CPU, CPUTime}

// v2Ctrl is the v2 controller of a resource; "" for CPU time, which every
// v2 cgroup reports in cpu.stat.
func v2Ctrl(r Resource) string {
	switch r {
	case Memory:
		return "memory"
	case Pids:
		return "pids"
	case CPU:
		return "cpu"
	}
	return ""
}

// v1Ctrl is the v1 controller of a resource.
func v1Ctrl(r Resource) string {
	if r == CPUTime {
		return "cpuacct"
	}
	return v2Ctrl(r)
}

// source picks v2 when it has the resource, else v1, and says why not
// when neither does.
func (h *Host) source(r Resource) (source, string) {
	if h.v2.err == nil && (v2Ctrl(r) == "" || h.v2.ctrlOK[v2Ctrl(r)]) {
		return fromV2, ""
	}
	if hr := h.v1[v1Ctrl(r)]; hr != nil && hr.err == nil {
		return fromV1, ""
	}
	return fromNone, "cgroup v2: " + h.v2Why(r) + "; cgroup v1: " + h.v1Why(v1Ctrl(r))
}

func (h *Host) v2Why(r Resource) string {
	if h.v2.err != nil {
		return h.v2.err.Error()
	}
	return h.v2.ctrlWhy[v2Ctrl(r)]
}

func (h *Host) v1Why(ctrl string) string {
	hr := h.v1[ctrl]
	if hr == nil {
		return "no hierarchy has the " + ctrl + " controller"
	}
	return hr.err.Error()
}

// Have returns the resources groups can limit or account here.
func (h *Host) Have() Resource {
	var out Resource
	for _, r := range allResources {
		if s, _ := h.source(r); s != fromNone {
			out |= r
		}
	}
	return out
}

// Why says why a resource is not available; "" when it is.
func (h *Host) Why(r Resource) string {
	_, why := h.source(r)
	return why
}

// Mode says which interfaces a group made with no limits uses.
func (h *Host) Mode() Mode {
	p, err := h.plan(Limits{})
	switch {
	case err != nil:
		return None
	case p.v2 && len(p.v1) > 0:
		return Hybrid
	case p.v2:
		return V2
	}
	return V1
}

// plan is what New makes for a set of limits.
type plan struct {
	v2     bool                // make a v2 group
	v2ctrl []string            // controllers to enable below the base
	v1     []*v1Hier           // hierarchies to make a group in
	at     map[Resource]source // where each resource's files are
}

func (h *Host) plan(l Limits) (plan, error) {
	p := plan{v2: h.v2.err == nil, at: map[Resource]source{}}
	var missing []string
	for _, r := range allResources {
		src, why := h.source(r)
		switch {
		case src == fromNone && l.Needs()&r != 0:
			missing = append(missing, r.String()+": "+why)
		case src == fromNone, r == CPU && l.Needs()&CPU == 0:
		default:
			p.use(h, r, src)
		}
	}
	if !p.v2 {
		p.addV1(h.v1["freezer"]) // to kill without cgroup.kill
	}
	if !p.v2 && len(p.v1) == 0 {
		return p, h.errNone()
	}
	if len(missing) > 0 {
		return p, fmt.Errorf("%w: %s", ErrNoController, strings.Join(missing, "; "))
	}
	return p, nil
}

func (p *plan) use(h *Host, r Resource, src source) {
	p.at[r] = src
	if src == fromV1 {
		p.addV1(h.v1[v1Ctrl(r)])
	} else if c := v2Ctrl(r); c != "" {
		p.v2ctrl = append(p.v2ctrl, c)
	}
}

func (p *plan) addV1(hr *v1Hier) {
	if hr == nil || hr.err != nil {
		return
	}
	for _, x := range p.v1 {
		if x == hr {
			return
		}
	}
	p.v1 = append(p.v1, hr)
}

func (h *Host) errNone() error {
	v1 := "no hierarchy is mounted"
	for _, c := range []string{"memory", "pids", "cpuacct", "freezer"} {
		if hr := h.v1[c]; hr != nil && hr.err != nil {
			v1 = hr.err.Error()
			break
		}
	}
	return fmt.Errorf("%w: cgroup v2: %v; cgroup v1: %s (hint: %s)", ErrNoCgroup, h.v2.err, v1, HintDelegate)
}

// Describe reports what each cgroup version gives here, and why not, for
// procjail's probe.
func (h *Host) Describe() (v2, v1 Feature) { return h.describeV2(), h.describeV1() }

func (h *Host) describeV2() Feature {
	if h.v2.err != nil {
		return Feature{Reason: h.v2.err.Error(), Hint: HintDelegate}
	}
	f := Feature{Available: true}
	var ok, why []string
	for _, c := range []string{"memory", "pids", "cpu"} {
		if h.v2.ctrlOK[c] {
			ok = append(ok, c)
		} else {
			why = append(why, "no "+c+": "+h.v2.ctrlWhy[c])
		}
	}
	f.Detail = fmt.Sprintf("groups under %s: placement at clone, whole-tree kill, CPU time; controllers: %s",
		filepath.Join(h.v2.base, groupsDir), listOr(ok, "none"))
	f.Reason = strings.Join(why, "; ")
	if len(why) > 0 && h.Have()&(Memory|Pids) != Memory|Pids {
		f.Hint = HintDelegate
	}
	return f
}

func (h *Host) describeV1() Feature {
	var ok []string
	var reason string
	for _, c := range []string{"memory", "pids", "cpu", "cpuacct", "freezer"} {
		hr := h.v1[c]
		switch {
		case hr != nil && hr.err == nil:
			ok = append(ok, c)
		case hr != nil && reason == "":
			reason = hr.err.Error()
		}
	}
	if len(ok) == 0 && reason == "" {
		reason = "no cgroup v1 hierarchy with memory, pids, cpu, cpuacct or freezer is mounted"
	}
	if len(ok) == 0 {
		return Feature{Reason: reason, Hint: "cgroup v1 hierarchies are used only by root"}
	}
	return Feature{Available: true, Detail: "controllers: " + strings.Join(ok, ", ") + "; groups in " + groupsDir + "/ at the root of each hierarchy"}
}

func listOr(l []string, empty string) string {
	if len(l) == 0 {
		return empty
	}
	return strings.Join(l, ", ")
}
