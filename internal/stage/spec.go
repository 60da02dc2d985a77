// Package stage is procjail's exec stage: a re-executed copy of the
// caller's binary that builds the sandbox from a Spec, starts the payload,
// supervises it (reaping every descendant, killing the whole tree) and
// reports back over a control socket.
//
// The parent passes the control socket as fd 3 and the payload's stdio as
// fds 0-2, starts the stage with an empty environment (so that nothing in the
// sandbox, not even the stage's /proc/<pid>/environ, holds the caller's
// environment) and argv[0] == Arg0. It writes one Spec; the stage answers
// with Started or Failed, then Exit. The parent may send Kill; closing the
// socket (the parent died) kills the tree too.
package stage

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/procjail/procjail/internal/wrap/bwrap"
	"github.com/procjail/procjail/internal/wrap/firejail"
	"syscall"
)

// Arg0 marks a process as a procjail stage.
const Arg0 = "procjail-stage"

// The payload's ids and the hostname inside an Unshare sandbox. The stage
// uses them to build the view's base before its spec arrives.
const (
	SandboxUID      = 1000
	SandboxGID      = 1000
	SandboxHostname = "procjail"
)

// StaleStep is the Failed step of a stage whose view, prepared ahead of
// time, no longer matches the plan: a fresh stage must be used.
const StaleStep = "prepared view is stale"

// ControlFD is the control socket's fd in the stage.
const ControlFD = 3

// Kinds of sandbox a stage builds.
const (
	KindRlimits    = "rlimits"
	KindUnshare    = "unshare"
	KindBubblewrap = "bubblewrap"
	KindFirejail   = "firejail"
)

// Spec is everything a stage needs to build the sandbox and run the payload.
type Spec struct {
	Kind string   `json:"kind"`
	Path string   `json:"path"` // payload executable (path inside the sandbox)
	Argv []string `json:"argv"`
	Env  []string `json:"env"`
	Dir  string   `json:"dir"`

	Rlimits []Rlimit `json:"rlimits"`
	// UID and GID, when >= 0, are the payload's credentials; its
	// supplementary groups are cleared.
	UID int `json:"uid"`
	GID int `json:"gid"`
	// Seccomp is an encoded BPF program (seccomp.Encode); empty = none.
	Seccomp []byte `json:"seccomp,omitempty"`
	// NoNewPrivs sets no_new_privs for the payload.
	NoNewPrivs bool `json:"no_new_privs"`

	// Bubblewrap only: the bwrap command the stage runs as the payload,
	// with the descriptors it refers to (opened by the stage).
	Wrap *bwrap.Command `json:"wrap,omitempty"`
	// Firejail only: the firejail command the stage runs as the payload.
	Firejail *firejail.Command `json:"firejail,omitempty"`

	// Unshare only.
	Hostname string `json:"hostname,omitempty"`
	// LocalhostPorts are listened on inside the sandbox's network
	// namespace; the listening sockets go to the parent (SCM_RIGHTS,
	// before Started), which relays them to the host's loopback.
	LocalhostPorts []uint16        `json:"localhost_ports,omitempty"`
	FSPlan         json.RawMessage `json:"fs_plan,omitempty"`
	Landlock       json.RawMessage `json:"landlock,omitempty"`
}

// Step is one setup step and the CLOCK_MONOTONIC time (ns) it ended at,
// comparable across the parent and the stage.
type Step struct {
	Name string `json:"name"`
	At   int64  `json:"at"`
}

// Rlimit is one resource limit, applied with soft = Cur and hard = Max.
type Rlimit struct {
	Resource int    `json:"resource"`
	Cur      uint64 `json:"cur"`
	Max      uint64 `json:"max"`
}

// Message types.
const (
	MsgStarted = "started"
	MsgFailed  = "failed"
	MsgExit    = "exit"
	MsgKill    = "kill"
)

// Msg is one message on the control socket.
type Msg struct {
	Type string `json:"type"`
	Pid  int    `json:"pid,omitempty"`

	// Failed.
	Step   string `json:"step,omitempty"`
	Errno  int    `json:"errno,omitempty"`
	Detail string `json:"detail,omitempty"`
	Hint   string `json:"hint,omitempty"`

	// Started: what was applied, and when each setup step ended.
	Applied []string `json:"applied,omitempty"`
	Steps   []Step   `json:"steps,omitempty"`

	// Exit: the payload's wait status and the whole tree's usage.
	Status   int   `json:"status,omitempty"`
	UtimeNs  int64 `json:"utime_ns,omitempty"`
	StimeNs  int64 `json:"stime_ns,omitempty"`
	MaxRSS   int64 `json:"max_rss,omitempty"` // bytes
	Killed   bool  `json:"killed,omitempty"`  // the tree was killed on request
	Orphans  int   `json:"orphans,omitempty"` // descendants still alive when the payload exited
	ExitedAt int64 `json:"exited_at,omitempty"`
}

// StepError is a setup failure: which step, the cause and a hint.
type StepError struct {
	Step string
	Err  error
	Hint string
}

func (e *StepError) Error() string {
	s := e.Step + ": " + e.Err.Error()
	if e.Hint != "" {
		s += ". Fix: " + e.Hint
	}
	return s
}

func (e *StepError) Unwrap() error { return e.Err }

// Errorf builds a StepError.
func Errorf(step, hint, format string, args ...any) error {
	return &StepError{Step: step, Err: fmt.Errorf(format, args...), Hint: hint}
}

// Fail converts a setup error into a Failed message.
func Fail(err error) Msg {
	m := Msg{Type: MsgFailed, Detail: err.Error()}
	var se *StepError
	if errors.As(err, &se) {
		m.Step, m.Hint, m.Detail = se.Step, se.Hint, se.Err.Error()
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		m.Errno = int(errno)
	}
	return m
}
