//go:build linux && (amd64 || arm64)

package seccomp

import "golang.org/x/sys/unix"

// commonNrs maps the system calls procjail's rules name to their numbers on
// the build architecture, for those that exist on every supported one.
var commonNrs = map[string]uint32{
	"acct":              unix.SYS_ACCT,
	"add_key":           unix.SYS_ADD_KEY,
	"adjtimex":          unix.SYS_ADJTIMEX,
	"bpf":               unix.SYS_BPF,
	"chroot":            unix.SYS_CHROOT,
	"clock_adjtime":     unix.SYS_CLOCK_ADJTIME,
	"clock_settime":     unix.SYS_CLOCK_SETTIME,
	"clone":             unix.SYS_CLONE,
	"clone3":            unix.SYS_CLONE3,
	"delete_module":     unix.SYS_DELETE_MODULE,
	"fanotify_init":     unix.SYS_FANOTIFY_INIT,
	"finit_module":      unix.SYS_FINIT_MODULE,
	"fsconfig":          unix.SYS_FSCONFIG,
	"fsmount":           unix.SYS_FSMOUNT,
	"fsopen":            unix.SYS_FSOPEN,
	"fspick":            unix.SYS_FSPICK,
	"init_module":       unix.SYS_INIT_MODULE,
	"io_uring_enter":    unix.SYS_IO_URING_ENTER,
	"io_uring_register": unix.SYS_IO_URING_REGISTER,
	"io_uring_setup":    unix.SYS_IO_URING_SETUP,
	"ioctl":             unix.SYS_IOCTL,
	"kcmp":              unix.SYS_KCMP,
	"kexec_file_load":   unix.SYS_KEXEC_FILE_LOAD,
	"kexec_load":        unix.SYS_KEXEC_LOAD,
	"keyctl":            unix.SYS_KEYCTL,
	"lookup_dcookie":    unix.SYS_LOOKUP_DCOOKIE,
	"mount":             unix.SYS_MOUNT,
	"mount_setattr":     unix.SYS_MOUNT_SETATTR,
	"move_mount":        unix.SYS_MOVE_MOUNT,
	"name_to_handle_at": unix.SYS_NAME_TO_HANDLE_AT,
	"nfsservctl":        unix.SYS_NFSSERVCTL,
	"open_by_handle_at": unix.SYS_OPEN_BY_HANDLE_AT,
	"open_tree":         unix.SYS_OPEN_TREE,
	"open_tree_attr":    unix.SYS_OPEN_TREE_ATTR,
	"perf_event_open":   unix.SYS_PERF_EVENT_OPEN,
	"personality":       unix.SYS_PERSONALITY,
	"pidfd_getfd":       unix.SYS_PIDFD_GETFD,
	"pivot_root":        unix.SYS_PIVOT_ROOT,
	"process_vm_readv":  unix.SYS_PROCESS_VM_READV,
	"process_vm_writev": unix.SYS_PROCESS_VM_WRITEV,
	"ptrace":            unix.SYS_PTRACE,
	"quotactl":          unix.SYS_QUOTACTL,
	"quotactl_fd":       unix.SYS_QUOTACTL_FD,
	"reboot":            unix.SYS_REBOOT,
	"request_key":       unix.SYS_REQUEST_KEY,
	"seccomp":           unix.SYS_SECCOMP,
	"setns":             unix.SYS_SETNS,
	"settimeofday":      unix.SYS_SETTIMEOFDAY,
	"swapoff":           unix.SYS_SWAPOFF,
	"swapon":            unix.SYS_SWAPON,
	"syslog":            unix.SYS_SYSLOG,
	"umount2":           unix.SYS_UMOUNT2,
	"unshare":           unix.SYS_UNSHARE,
	"userfaultfd":       unix.SYS_USERFAULTFD,
	"vhangup":           unix.SYS_VHANGUP,
}

// lookup returns the number of a system call the rules name, on the build
// architecture; ok is false for names the package does not know or that do
// not exist here.
func lookup(name string) (nr uint32, ok bool) {
	if nr, ok = commonNrs[name]; ok {
		return nr, true
	}
	nr, ok = archNrs[name]
	return nr, ok
}
