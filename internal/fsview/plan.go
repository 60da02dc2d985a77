package fsview

import (
	"encoding/json"
	"fmt"
)

// OpKind names one kind of step in a Plan.
type OpKind string

// The steps a Plan is made of. Every mount is nosuid and nodev, except
// the device nodes of OpDevice, which need dev (they are noexec instead).
const (
	// OpBindRO binds Source (host) at Target read-only, recursively, with
	// every submount remounted read-only too.
	OpBindRO OpKind = "bind-ro"
	// OpBindRW binds Source at Target writable.
	OpBindRW OpKind = "bind-rw"
	// OpDevice binds the host character device Source at Target (noexec).
	OpDevice OpKind = "device"
	// OpTmpfs mounts a tmpfs of Size bytes and mode Mode at Target.
	OpTmpfs OpKind = "tmpfs"
	// OpProc mounts a fresh proc at Target (needs a pid namespace).
	OpProc OpKind = "proc"
	// OpProcRO re-binds Target, a path inside the fresh proc, read-only.
	OpProcRO OpKind = "proc-ro"
	// OpSymlink creates a symlink at Target whose text is LinkTo.
	OpSymlink OpKind = "symlink"
	// OpDir creates the directory Target (and its parents) with Mode.
	OpDir OpKind = "dir"
	// OpFile creates the file Target holding Content, with Mode.
	OpFile OpKind = "file"
)

// Op is one step of building the view. Sources are host paths; targets
// are sandbox paths, always created inside the view's own tmpfs mounts.
type Op struct {
	Kind     OpKind `json:"kind"`
	Source   string `json:"source,omitempty"`   // host path (binds, devices)
	Target   string `json:"target"`             // sandbox path
	LinkTo   string `json:"link_to,omitempty"`  // symlink text (OpSymlink)
	Content  string `json:"content,omitempty"`  // file content (OpFile)
	Size     int64  `json:"size,omitempty"`     // bytes (OpTmpfs)
	Mode     uint32 `json:"mode,omitempty"`     // permission bits (OpTmpfs, OpDir, OpFile)
	NoExec   bool   `json:"noexec,omitempty"`   // mount noexec (OpTmpfs)
	Seal     bool   `json:"seal,omitempty"`     // remount read-only once the view is built (OpTmpfs)
	Optional bool   `json:"optional,omitempty"` // skip when the source is missing at Apply time
	Access   Access `json:"access,omitempty"`   // what Landlock grants on Target (and Source on the host)
}

// Plan is the ordered list of steps that builds the view. It is plain data:
// Build makes it in the parent, it travels as JSON, and Apply runs it in
// the stage.
type Plan struct {
	Ops       []Op  `json:"ops"`
	RootBytes int64 `json:"root_bytes"` // size of the root tmpfs
}

// rootBytes is the size of the view's root tmpfs: it holds only directories,
// mount points and the synthesized /etc files, and is read-only at the end.
const rootBytes = 4 << 20

// RootBytes is the size of every view's root tmpfs (what Prepare needs).
const RootBytes = rootBytes

// Marshal encodes the plan as JSON.
func (p *Plan) Marshal() ([]byte, error) { return json.Marshal(p) }

// UnmarshalPlan decodes and validates a plan made by Marshal.
func UnmarshalPlan(data []byte) (*Plan, error) {
	var p Plan
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, stepErr("decode plan", "", err)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

// Validate checks the plan's invariants: clean absolute paths, targets only
// in the places each kind may use, and no target that lies under a bound
// host tree or hides an earlier step. Apply calls it first.
func (p *Plan) Validate() error {
	if p.RootBytes <= 0 {
		return invalid("/", "root tmpfs size %d", p.RootBytes)
	}
	for j, op := range p.Ops {
		if err := op.validate(); err != nil {
			return err
		}
		for _, prev := range p.Ops[:j] {
			if err := checkOrder(prev, op); err != nil {
				return err
			}
		}
	}
	return nil
}

func (op Op) validate() error {
	if err := checkAbs("target", op.Target); err != nil {
		return err
	}
	if op.Target == "/" {
		return invalid(op.Target, "%s over the root", op.Kind)
	}
	if err := op.validateKind(); err != nil {
		return err
	}
	if !op.Access.valid() {
		return invalid(op.Target, "unknown access %d", op.Access)
	}
	return checkPlace(op)
}

func (op Op) validateKind() error {
	switch op.Kind {
	case OpBindRO, OpBindRW, OpDevice:
		return checkAbs("source", op.Source)
	case OpTmpfs:
		if op.Size <= 0 {
			return invalid(op.Target, "tmpfs size %d", op.Size)
		}
	case OpSymlink:
		if op.LinkTo == "" {
			return invalid(op.Target, "empty symlink")
		}
	case OpProc, OpProcRO, OpDir, OpFile:
	default:
		return invalid(op.Target, "unknown step kind %q", op.Kind)
	}
	return nil
}

// reserved are trees where no caller-chosen target may go: the kernel's
// own filesystems and the stage's scratch mount points.
var reserved = []string{"/proc", "/dev", "/sys", "/oldroot", "/newroot"}

// checkPlace confines each kind to where it belongs: only the fresh proc
// and its read-only re-binds under /proc, only devices, their tmpfs and
// links under /dev, nothing under /sys or the scratch mount points.
func checkPlace(op Op) error {
	switch {
	case under(op.Target, "/proc"):
		if (op.Kind == OpProc && op.Target == "/proc") || (op.Kind == OpProcRO && op.Target != "/proc") {
			return nil
		}
	case under(op.Target, "/dev"):
		switch op.Kind {
		case OpTmpfs, OpDevice, OpSymlink, OpDir:
			return nil
		}
	case op.Kind == OpProc || op.Kind == OpProcRO || op.Kind == OpDevice:
	default:
		if reservedPath(op.Target) {
			break
		}
		return nil
	}
	return invalid(op.Target, "%s may not target %s", op.Kind, op.Target).
		hinted("targets under /proc, /dev, /sys, /oldroot and /newroot are reserved")
}

func reservedPath(p string) bool {
	for _, r := range reserved {
		if under(p, r) {
			return true
		}
	}
	return false
}

// checkOrder refuses a later step that would land inside something that is
// not the view's own directory or tmpfs (a bound host tree, a file, a
// symlink), or that would hide an earlier step.
func checkOrder(prev, op Op) error {
	switch {
	case prev.Target == op.Target && !(prev.Kind == OpDir && op.Kind == OpDir):
		return invalid(op.Target, "%s: target already used by %s", op.Kind, prev.Kind)
	case strictlyUnder(op.Target, prev.Target) && !container(prev, op):
		return invalid(op.Target, "%s: target lies under %s %s", op.Kind, prev.Kind, prev.Target).
			hinted("a target may not go inside a bound directory (it would have to be created on the host); choose a path outside it, or bind the parent instead")
	case strictlyUnder(prev.Target, op.Target) && op.Kind != OpDir:
		return invalid(op.Target, "%s would hide %s %s", op.Kind, prev.Kind, prev.Target)
	}
	return nil
}

// container reports whether op may be created inside prev: prev is a
// directory or tmpfs of the view's own, or the fresh proc (for proc-ro).
func container(prev, op Op) bool {
	switch prev.Kind {
	case OpDir, OpTmpfs:
		return true
	case OpProc:
		return op.Kind == OpProcRO
	}
	return false
}

// String describes an op for messages.
func (op Op) String() string {
	if op.Source != "" {
		return fmt.Sprintf("%s %s -> %s", op.Kind, op.Source, op.Target)
	}
	return fmt.Sprintf("%s %s", op.Kind, op.Target)
}
