//go:build !linux

package netfwd

import (
	"errors"
	"fmt"
	"os"
	"runtime"
)

var errNotLinux = fmt.Errorf("netfwd: forwarding localhost into a sandbox needs Linux network namespaces, not %s: %w", runtime.GOOS, errors.ErrUnsupported)

// Listen returns an error wrapping errors.ErrUnsupported.
func Listen(ports []uint16) ([]*os.File, error) { return nil, errNotLinux }

// ListenWith returns an error wrapping errors.ErrUnsupported.
func ListenWith(ports []uint16, opts ListenOptions) ([]*os.File, error) { return nil, errNotLinux }

// SendFDs returns an error wrapping errors.ErrUnsupported.
func SendFDs(conn *os.File, files []*os.File, meta []byte) error { return errNotLinux }

// RecvFDs returns an error wrapping errors.ErrUnsupported.
func RecvFDs(conn *os.File, max int) ([]*os.File, []byte, error) { return nil, nil, errNotLinux }

// Describe returns an error wrapping errors.ErrUnsupported.
func Describe(f *os.File) (Endpoint, error) { return Endpoint{}, errNotLinux }

// DescribeAll returns an error wrapping errors.ErrUnsupported.
func DescribeAll(files []*os.File) ([]Endpoint, error) { return nil, errNotLinux }
