//go:build !linux || !(amd64 || arm64)

package seccomp

// supported says whether Compile can build a filter for this build.
const supported = false

// auditArch is unused where the filter is unsupported.
const auditArch = 0

// hasX32 is unused where the filter is unsupported.
const hasX32 = false

// lookup knows no system calls where the filter is unsupported.
func lookup(string) (uint32, bool) { return 0, false }
