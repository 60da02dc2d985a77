package seccomp

import "golang.org/x/sys/unix"

// supported says whether Compile can build a filter for this build.
const supported = true

// auditArch is seccomp_data.arch for native system calls.
const auditArch = unix.AUDIT_ARCH_X86_64

// hasX32 says whether native-arch system calls may carry the x32 bit, which
// selects the x32 ABI's syscall table under the same auditArch.
const hasX32 = true
