package seccomp

import "golang.org/x/sys/unix"

// supported says whether Compile can build a filter for this build.
const supported = true

// auditArch is seccomp_data.arch for native system calls.
const auditArch = unix.AUDIT_ARCH_X86_64

// hasX32 says whether native-arch system calls may carry the x32 bit, which
// selects the x32 ABI's syscall table under the same auditArch.
const hasX32 = true

// archNrs holds system calls that exist on x86_64 but not on every
// supported architecture.
var archNrs = map[string]uint32{
	"iopl":       unix.SYS_IOPL,
	"ioperm":     unix.SYS_IOPERM,
	"modify_ldt": unix.SYS_MODIFY_LDT,
	"uselib":     unix.SYS_USELIB,
	"sysfs":      unix.SYS_SYSFS,
	"_sysctl":    unix.SYS__SYSCTL,
}
