//go:build !linux

package bwrap

import (
	"errors"
	"fmt"
	"os"
)

// OpenFiles needs Linux (memfd, O_PATH); elsewhere it returns an error
// wrapping errors.ErrUnsupported.
func (c Command) OpenFiles() ([]*os.File, error) {
	return nil, fmt.Errorf("bwrap: opening descriptors: %w (bubblewrap needs Linux)", errors.ErrUnsupported)
}

// CloseFiles closes files made by OpenFiles.
func CloseFiles(files []*os.File) {
	for _, f := range files {
		f.Close()
	}
}
