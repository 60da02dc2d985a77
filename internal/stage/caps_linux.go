package stage

import (
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// dropCaps empties this thread's bounding, ambient, inheritable, permitted
// and effective capability sets, so the payload starts with none and cannot
// regain any (bounding set empty, no_new_privs follows).
func dropCaps() error {
	last := lastCap()
	for c := 0; c <= last; c++ {
		if err := unix.Prctl(unix.PR_CAPBSET_DROP, uintptr(c), 0, 0, 0); err != nil && err != unix.EINVAL {
			return Errorf("drop capability bounding set", "", "cap %d: %w", c, err)
		}
	}
	if err := unix.Prctl(unix.PR_CAP_AMBIENT, unix.PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0); err != nil {
		return Errorf("clear ambient capabilities", "", "%w", err)
	}
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	if err := unix.Capset(&hdr, &data[0]); err != nil {
		return Errorf("capset", "", "%w", err)
	}
	return nil
}

func lastCap() int {
	b, err := os.ReadFile("/proc/sys/kernel/cap_last_cap")
	if err != nil {
		return 63
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return 63
	}
	return n
}

// clearCaps empties this thread's ambient, inheritable, permitted and
// effective capabilities (the bounding set is left alone).
func clearCaps() error {
	if err := unix.Prctl(unix.PR_CAP_AMBIENT, unix.PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0); err != nil {
		return Errorf("clear ambient capabilities", "", "%w", err)
	}
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	if err := unix.Capset(&hdr, &data[0]); err != nil {
		return Errorf("capset", "", "%w", err)
	}
	return nil
}
