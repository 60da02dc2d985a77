//go:build !linux

package seccomp

import (
	"errors"
	"fmt"
	"runtime"
)

// Install is not supported outside Linux.
func Install(prog []SockFilter) error {
	return fmt.Errorf("seccomp: installing a filter on %s: %w", runtime.GOOS, errors.ErrUnsupported)
}
