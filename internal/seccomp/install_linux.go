package seccomp

import (
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

// installError explains why the kernel refused a filter.
func installError(err error) error {
	var hint string
	switch {
	case errors.Is(err, unix.EACCES):
		hint = ": set no_new_privs first (prctl PR_SET_NO_NEW_PRIVS) on this thread"
	case errors.Is(err, unix.EINVAL):
		hint = ": the kernel rejected the program; build it with Compile or check what was decoded"
	case errors.Is(err, unix.ENOMEM):
		hint = ": the filters installed on this thread are too long together"
	case errors.Is(err, unix.ENOSYS):
		return fmt.Errorf("seccomp: installing the filter: %w (the kernel lacks CONFIG_SECCOMP_FILTER): %w", err, errors.ErrUnsupported)
	}
	return fmt.Errorf("seccomp: installing the filter: %w%s", err, hint)
}
