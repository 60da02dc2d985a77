//go:build !linux

package fsview

import (
	"errors"
	"fmt"
)

// errNotLinux is returned by everything that needs Linux.
var errNotLinux = fmt.Errorf("filesystem views need Linux: %w", errors.ErrUnsupported)

// Apply needs Linux; elsewhere it returns an error wrapping
// errors.ErrUnsupported.
func (p *Plan) Apply() error {
	return &StepError{Step: "apply", Err: errNotLinux}
}

// OwnMountNS reports false: there are no mount namespaces here.
func OwnMountNS() bool { return false }
