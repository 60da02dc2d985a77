package fsview

import (
	"errors"
	"fmt"

	"github.com/landlock-lsm/go-landlock/landlock"
	ll "github.com/landlock-lsm/go-landlock/landlock/syscall"
)

// Access is what a Landlock rule allows beneath a path.
type Access uint8

// The access levels, from least to most.
const (
	AccessNone      Access = iota // no rule
	AccessListDir                 // list directories (the view's root only)
	AccessRead                    // read files, list directories
	AccessReadExec                // read and execute
	AccessReadWrite               // everything but mknod of devices and connecting to Unix sockets made outside
	AccessDevice                  // read, write, truncate and ioctl a device node; no exec
)

var accessNames = []string{"none", "list-dir", "read", "read-exec", "read-write", "device"}

func (a Access) valid() bool { return int(a) < len(accessNames) }

// String names the access level.
func (a Access) String() string {
	if !a.valid() {
		return fmt.Sprintf("access(%d)", uint8(a))
	}
	return accessNames[a]
}

// MarshalText encodes the access level by name.
func (a Access) MarshalText() ([]byte, error) {
	if !a.valid() {
		return nil, fmt.Errorf("unknown access %d", uint8(a))
	}
	return []byte(a.String()), nil
}

// UnmarshalText decodes an access level name.
func (a *Access) UnmarshalText(b []byte) error {
	for i, n := range accessNames {
		if n == string(b) {
			*a = Access(i)
			return nil
		}
	}
	return fmt.Errorf("unknown access %q", b)
}

const (
	rightsRead   = ll.AccessFSReadFile | ll.AccessFSReadDir
	rightsExec   = rightsRead | ll.AccessFSExecute
	rightsWrite  = rightsExec | ll.AccessFSWriteFile | ll.AccessFSRemoveDir | ll.AccessFSRemoveFile | ll.AccessFSMakeDir | ll.AccessFSMakeReg | ll.AccessFSMakeSock | ll.AccessFSMakeFifo | ll.AccessFSMakeSym | ll.AccessFSRefer | ll.AccessFSTruncate | ll.AccessFSIoctlDev
	rightsDevice = ll.AccessFSReadFile | ll.AccessFSWriteFile | ll.AccessFSTruncate | ll.AccessFSIoctlDev
	// rightsFile are the rights that apply to a file (not a directory).
	rightsFile = ll.AccessFSExecute | ll.AccessFSWriteFile | ll.AccessFSReadFile | ll.AccessFSTruncate | ll.AccessFSIoctlDev
)

// Rights returns the Landlock filesystem rights of a for a directory or a
// file, before masking by what the kernel handles. Read-write grants
// "refer" (rename and link across directories: package managers move
// files between /tmp and the work dir) but never mknod of character or
// block devices, and never "resolve unix" (connecting to a Unix socket
// created outside the sandbox).
func (a Access) Rights(dir bool) uint64 {
	var r uint64
	switch a {
	case AccessListDir:
		r = ll.AccessFSReadDir
	case AccessRead:
		r = rightsRead
	case AccessReadExec:
		r = rightsExec
	case AccessReadWrite:
		r = rightsWrite
	case AccessDevice:
		r = rightsDevice
	}
	if !dir {
		r &= rightsFile
	}
	return r
}

// Rule grants Access beneath Path (a directory) or on Path (a file).
type Rule struct {
	Path     string `json:"path"`
	Access   Access `json:"access"`
	Optional bool   `json:"optional,omitempty"` // skip when missing
}

// LandlockRules returns the Landlock rules that mirror the view, in
// sandbox paths (for use after Apply): list the root; read-execute on
// read-only binds; read on /etc and /proc; read-write on /tmp, /dev/shm,
// writable mounts and a writable work dir; device access on /dev/null,
// /dev/zero and /dev/full; read on /dev/random and /dev/urandom. Nothing
// else.
func (p *Plan) LandlockRules() []Rule {
	rules := []Rule{{Path: "/", Access: AccessListDir}}
	for _, op := range p.Ops {
		if op.Access != AccessNone {
			rules = append(rules, Rule{Path: op.Target, Access: op.Access, Optional: op.Optional})
		}
	}
	return rules
}

// HostLandlockRules returns the same policy as LandlockRules in host
// paths, for a strategy without a mount namespace. The differences follow
// from having no view of its own: there is no private /tmp or /dev/shm
// (the host's are shared, so they get no rule: only the work dir, if
// writable, and the configured writable mounts can be written; point
// TMPDIR into the work dir); the host's /etc is granted file by file
// (the shown entries plus passwd, group, hostname, hosts and
// nsswitch.conf), never as a whole; the root is not listable; /proc is
// the host's (Landlock still denies ptrace-like access, including
// /proc/PID/environ and mem, to processes outside the sandbox, but other
// processes' command lines stay readable).
func HostLandlockRules(req Request) ([]Rule, error) {
	plan, err := Build(req)
	if err != nil {
		return nil, err
	}
	var rules []Rule
	for _, op := range plan.Ops {
		if r, ok := hostRule(op); ok {
			rules = append(rules, r)
		}
	}
	return rules, nil
}

func hostRule(op Op) (Rule, bool) {
	switch op.Kind {
	case OpBindRO, OpBindRW, OpDevice:
		return Rule{Path: op.Source, Access: op.Access, Optional: op.Optional}, op.Access != AccessNone
	case OpProc:
		return Rule{Path: "/proc", Access: AccessRead}, true
	case OpFile:
		return Rule{Path: op.Target, Access: AccessRead, Optional: true}, true
	}
	return Rule{}, false
}

// NetPolicy lists the ports Landlock lets the sandbox use once it handles
// network access; every other TCP bind/connect (ABI 4+) and UDP
// bind/connect/send (ABI 10+) is denied. Multipath TCP is not covered by
// Landlock: the network namespace remains the real network boundary.
type NetPolicy struct {
	BindTCP        []uint16 `json:"bind_tcp,omitempty"`
	ConnectTCP     []uint16 `json:"connect_tcp,omitempty"`
	BindUDP        []uint16 `json:"bind_udp,omitempty"`
	ConnectSendUDP []uint16 `json:"connect_send_udp,omitempty"`
}

// LandlockOptions tunes ApplyLandlock. The zero value restricts the
// filesystem and, from ABI 6, scopes signals and abstract Unix sockets.
type LandlockOptions struct {
	// Net, when set, also restricts the network to its ports.
	Net *NetPolicy
	// NoScope leaves signals and abstract Unix sockets unscoped. By
	// default (ABI 6+) the sandbox can neither signal nor connect to an
	// abstract socket of a process outside its Landlock domain.
	NoScope bool
}

// LandlockReport says exactly what ApplyLandlock enforced, so the caller
// can report it and fail closed when Landlock was required.
type LandlockReport struct {
	// ABI is the Landlock ABI used: the kernel's, lowered to 5 when the
	// kernel lacks the signal-scoping fix (erratum 2), capped at the
	// newest this build knows; 0 when Landlock is unavailable.
	ABI int `json:"abi"`
	// Enforced is true once landlock_restrict_self succeeded.
	Enforced bool `json:"enforced"`
	// HandledAccessFS, HandledAccessNet and Scoped are what the ruleset
	// restricts: every right the ABI knows for the filesystem; the network
	// rights only with LandlockOptions.Net; the scopes from ABI 6 unless
	// NoScope.
	HandledAccessFS  landlock.AccessFSSet  `json:"handled_access_fs"`
	HandledAccessNet landlock.AccessNetSet `json:"handled_access_net"`
	Scoped           landlock.ScopedSet    `json:"scoped"`
	// Net holds the ports allowed, for the handled network rights only.
	Net NetPolicy `json:"net"`
	// Rules were added; Skipped were optional rules whose path is missing.
	Rules   []Rule `json:"rules,omitempty"`
	Skipped []Rule `json:"skipped,omitempty"`
	// Reason explains a missing enforcement or a downgrade, or is "".
	Reason string `json:"reason,omitempty"`
}

// ErrLandlockUnavailable is wrapped by LandlockReport.Require when
// Landlock was not enforced at the required level.
var ErrLandlockUnavailable = errors.New("landlock not enforced")

// Require returns nil when Landlock was enforced with at least ABI
// minABI, else an error wrapping ErrLandlockUnavailable that says why.
func (r LandlockReport) Require(minABI int) error {
	if r.Enforced && r.ABI >= minABI {
		return nil
	}
	why := r.Reason
	if r.Enforced {
		why = fmt.Sprintf("kernel ABI %d is below the required %d", r.ABI, minABI)
	}
	return &StepError{Step: "landlock", Err: fmt.Errorf("%w: %s", ErrLandlockUnavailable, why),
		Hint: "Landlock needs Linux 5.13+ with CONFIG_SECURITY_LANDLOCK=y and \"landlock\" in the lsm= boot parameter"}
}

// String summarises the report on one line.
func (r LandlockReport) String() string {
	if !r.Enforced {
		return "landlock not enforced: " + r.Reason
	}
	return fmt.Sprintf("landlock ABI %d: fs %v; net %v; scoped %v; %d rules", r.ABI,
		r.HandledAccessFS, r.HandledAccessNet, r.Scoped, len(r.Rules))
}
