//go:build !linux

package firejail

import (
	"errors"
	"fmt"
	"os"
)

// OpenFiles needs Linux (memfd); elsewhere it returns an error wrapping
// errors.ErrUnsupported.
func (c Command) OpenFiles() ([]*os.File, error) {
	return nil, fmt.Errorf("firejail: opening descriptors: %w (firejail needs Linux)", errors.ErrUnsupported)
}

// CloseFiles closes files made by OpenFiles.
func CloseFiles(files []*os.File) {
	for _, f := range files {
		f.Close()
	}
}
