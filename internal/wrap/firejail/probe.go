package firejail

import (
	"fmt"
	"github.com/procjail/procjail/internal/wrap/wrapver"
	"os"
	"os/exec"
	"strings"
)

// MinVersion is the oldest firejail whose profile Build writes:
// restrict-namespaces and the deterministic-* commands are recent.
const MinVersion = "0.9.72"

// ProbeResult is what Probe found out about a firejail binary.
type ProbeResult struct {
	// Path is the binary probed, after a PATH lookup.
	Path string `json:"path"`
	// Present: the binary exists.
	Present bool `json:"present"`
	// Working: the strategy's command line ran /bin/true and it exited 0.
	Working bool `json:"working"`
	// Setuid: the binary has the setuid bit, which firejail needs for any
	// caller but root.
	Setuid bool `json:"setuid"`
	// Version is the version firejail reports ("0.9.72").
	Version string `json:"version,omitempty"`
	// Reason says why the binary is missing or not working; "" when
	// Working.
	Reason string `json:"reason,omitempty"`
}

func lookup(path string) ProbeResult {
	if path == "" {
		path = "firejail"
	}
	r := ProbeResult{Path: path}
	if !strings.Contains(path, "/") {
		found, err := exec.LookPath(path)
		if err != nil {
			r.Reason = fmt.Sprintf("%s not found on PATH: install firejail", path)
			return r
		}
		r.Path = found
	}
	fi, err := os.Stat(r.Path)
	if err != nil {
		r.Reason = fmt.Sprintf("%s: %v", r.Path, err)
		return r
	}
	r.Present, r.Setuid = true, fi.Mode()&os.ModeSetuid != 0
	return r
}

// parseVersion extracts "0.9.72" from the first line of
// `firejail --version`: "firejail version 0.9.72".
func parseVersion(out string) (string, error) {
	first, _, _ := strings.Cut(out, "\n")
	fields := strings.Fields(first)
	if len(fields) != 3 || fields[0] != "firejail" || fields[1] != "version" {
		return "", fmt.Errorf("unexpected --version output %q", strings.TrimSpace(first))
	}
	return fields[2], nil
}

// versionAtLeast compares dotted numeric versions (see wrapver).
var versionAtLeast = wrapver.VersionAtLeast
