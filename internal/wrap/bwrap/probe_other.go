//go:build !linux

package bwrap

import "time"

// Probe reports bwrap as not working: bubblewrap needs Linux.
func Probe(path string, timeout time.Duration) ProbeResult {
	r := lookup(path)
	if r.Present {
		r.Reason = "bubblewrap needs Linux"
	}
	return r
}
