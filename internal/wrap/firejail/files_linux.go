package firejail

import (
	"fmt"
	"github.com/procjail/procjail/internal/sealfd"
	"os"
)

// OpenFiles makes the descriptors c refers to: a sealed memfd per
// payload, positioned at its start. Pass the result as
// exec.Cmd.ExtraFiles and close the files once firejail has started.
func (c Command) OpenFiles() ([]*os.File, error) {
	files := make([]*os.File, 0, len(c.ExtraFiles))
	for _, p := range c.ExtraFiles {
		f, err := sealedMemfd("procjail-firejail-"+p.Name, p.Data)
		if err != nil {
			CloseFiles(files)
			return nil, fmt.Errorf("firejail: the descriptor for the %s: %w", p.Name, err)
		}
		files = append(files, f)
	}
	return files, nil
}

// CloseFiles closes files made by OpenFiles.
func CloseFiles(files []*os.File) {
	for _, f := range files {
		f.Close()
	}
}

// sealedMemfd returns a sealed memfd holding data (see sealfd).
func sealedMemfd(name string, data []byte) (*os.File, error) {
	return sealfd.New(name, data, false)
}
