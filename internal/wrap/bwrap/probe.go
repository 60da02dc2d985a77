package bwrap

import (
	"fmt"
	"github.com/procjail/procjail/internal/wrap/wrapver"
	"os"
	"os/exec"
	"strings"
)

// MinVersion is the oldest bwrap whose command line Build makes: --size
// and --disable-userns appeared in 0.8.0.
const MinVersion = "0.8.0"

// ProbeResult is what Probe found out about a bwrap binary.
type ProbeResult struct {
	// Path is the binary probed, after a PATH lookup.
	Path string `json:"path"`
	// Present: the binary exists.
	Present bool `json:"present"`
	// Working: the strategy's command line ran /bin/true and it exited 0.
	Working bool `json:"working"`
	// Setuid: the binary has the setuid bit. Build's command line does not
	// need it (it relies on unprivileged user namespaces).
	Setuid bool `json:"setuid"`
	// Version is what `bwrap --version` printed, without "bubblewrap ".
	Version string `json:"version,omitempty"`
	// Reason says why the binary is missing or not working; "" when
	// Working.
	Reason string `json:"reason,omitempty"`
}

// ProbeHostID is the host uid and gid Probe starts bwrap as when the
// caller is root (nobody).
const ProbeHostID = 65534

// lookup resolves path ("" means "bwrap") and stats it.
func lookup(path string) ProbeResult {
	if path == "" {
		path = "bwrap"
	}
	r := ProbeResult{Path: path}
	if !strings.Contains(path, "/") {
		found, err := exec.LookPath(path)
		if err != nil {
			r.Reason = fmt.Sprintf("%s not found on PATH: install bubblewrap", path)
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

// parseVersion extracts "0.8.0" from "bubblewrap 0.8.0".
func parseVersion(out string) (string, error) {
	fields := strings.Fields(out)
	if len(fields) != 2 || fields[0] != "bubblewrap" {
		return "", fmt.Errorf("unexpected --version output %q", strings.TrimSpace(out))
	}
	return fields[1], nil
}

// versionAtLeast compares dotted numeric versions (see wrapver).
var versionAtLeast = wrapver.VersionAtLeast
