package procjail

import (
	"fmt"
	"time"
)

// ExitReason says why a sandbox ended.
type ExitReason string

// Exit reasons.
const (
	ExitNormal   ExitReason = "exited"      // the payload exited by itself
	ExitSignaled ExitReason = "signaled"    // a signal the payload did not survive
	ExitTimeout  ExitReason = "timeout"     // Config.Timeout expired
	ExitCPULimit ExitReason = "cpu-limit"   // MaxCPUSeconds reached
	ExitOOM      ExitReason = "oom"         // MaxMemoryBytes reached (cgroup OOM kill)
	ExitKilled   ExitReason = "killed"      // the caller called Kill or Close
	ExitSetup    ExitReason = "setup-error" // the sandbox never started the payload
	ExitLost     ExitReason = "lost"        // the supervisor died without a report
)

// Usage describes how a sandbox ended and what it consumed. The figures
// cover the whole sandboxed tree and come from what procjail itself reaps
// (or from the sandbox's cgroup), never from a launcher such as bwrap.
type Usage struct {
	Reason   ExitReason `json:"reason"`
	ExitCode int        `json:"exit_code"`           // exit status, or 128+signal
	Signal   string     `json:"signal,omitempty"`    // "SIGKILL" when killed by a signal
	Wall     Duration   `json:"wall"`                // Spawn to exit
	UserCPU  Duration   `json:"user_cpu"`            // user CPU of the whole tree
	SysCPU   Duration   `json:"sys_cpu"`             // system CPU of the whole tree
	PeakRSS  uint64     `json:"peak_rss_bytes"`      // largest resident set (per process without a cgroup)
	OOMKills uint64     `json:"oom_kills,omitempty"` // processes the OOM killer ended (cgroup)
	PidsPeak uint64     `json:"pids_peak,omitempty"` // most tasks at once (cgroup)
	Source   string     `json:"source"`              // where the figures come from: "rusage" or "cgroup"
	Detail   string     `json:"detail,omitempty"`    // for setup-error and lost
	// Localhost counts what the sandbox sent to and received from the
	// host's loopback services through AllowLocalhostPorts (nil when
	// nothing is forwarded): evidence of what the code tried to reach.
	Localhost *LocalhostUsage `json:"localhost,omitempty"`
}

// LocalhostUsage is the traffic forwarded to the host's loopback.
type LocalhostUsage struct {
	Connections  uint64          `json:"connections"`   // accepted (TCP) or flows (UDP)
	Refused      uint64          `json:"refused"`       // over the concurrent-connection limit
	DialFailures uint64          `json:"dial_failures"` // nothing listening on the host
	BytesIn      uint64          `json:"bytes_in"`      // host to sandbox
	BytesOut     uint64          `json:"bytes_out"`     // sandbox to host
	Ports        []LocalhostPort `json:"ports"`
}

// LocalhostPort is the traffic of one forwarded port and protocol.
type LocalhostPort struct {
	Port         uint16 `json:"port"`
	Proto        string `json:"proto"` // tcp4, tcp6, udp4, udp6
	Connections  uint64 `json:"connections"`
	Refused      uint64 `json:"refused"`
	DialFailures uint64 `json:"dial_failures"`
	BytesIn      uint64 `json:"bytes_in"`
	BytesOut     uint64 `json:"bytes_out"`
}

// CPU returns user+system CPU time.
func (u Usage) CPU() time.Duration { return time.Duration(u.UserCPU + u.SysCPU) }

// String is a one-line summary.
func (u Usage) String() string {
	s := fmt.Sprintf("reason=%s exit_code=%d", u.Reason, u.ExitCode)
	if u.Signal != "" {
		s += " signal=" + u.Signal
	}
	return s + fmt.Sprintf(" wall=%s cpu=%s peak_rss=%d", time.Duration(u.Wall), u.CPU(), u.PeakRSS)
}

// Duration is a time.Duration that reads and writes as "1.5s" in JSON and
// TOML.
type Duration time.Duration

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	*d = Duration(v)
	return err
}
