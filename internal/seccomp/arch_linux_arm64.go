package seccomp

import "golang.org/x/sys/unix"

// supported says whether Compile can build a filter for this build.
const supported = true

// auditArch is seccomp_data.arch for native system calls.
const auditArch = unix.AUDIT_ARCH_AARCH64

// hasX32 says whether native-arch system calls may carry the x32 bit; arm64
// has no such ABI (AArch32 compat calls have their own auditArch).
const hasX32 = false
