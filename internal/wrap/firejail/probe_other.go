//go:build !linux

package firejail

import "time"

// Probe reports firejail as not working: firejail needs Linux.
func Probe(path string, timeout time.Duration) ProbeResult {
	r := lookup(path)
	if r.Present {
		r.Reason = "firejail needs Linux"
	}
	return r
}
