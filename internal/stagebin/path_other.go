//go:build !linux

package stagebin

// SelfExe is the fallback: the caller's own binary.
const SelfExe = "/proc/self/exe"

// Path returns the fallback: there are no sandboxes on this OS.
func Path() (path, fallback string) { return SelfExe, "not Linux" }
