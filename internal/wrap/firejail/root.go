package firejail

import (
	"fmt"
	"io/fs"
	"os"
)

// EntryKind is the type of a top-level entry of the host's root.
type EntryKind int

// The kinds of top-level entries Build tells apart.
const (
	// Dir is a directory: emptied unless the view needs something in it.
	Dir EntryKind = iota
	// Symlink is a symbolic link: left alone, since what it points to lies
	// in another top-level entry, handled on its own.
	Symlink
	// Other is a file, socket, device...: blacklisted.
	Other
)

// RootEntry is one entry of the host's "/".
type RootEntry struct {
	Name string    // file name, without "/"
	Kind EntryKind // what it is, not following symlinks
}

// ListRoot reads the host's top-level entries, for Input.Root. It does
// not follow symlinks.
func ListRoot() ([]RootEntry, error) {
	entries, err := os.ReadDir("/")
	if err != nil {
		return nil, fmt.Errorf("firejail: listing /: %w", err)
	}
	out := make([]RootEntry, 0, len(entries))
	for _, e := range entries {
		out = append(out, RootEntry{Name: e.Name(), Kind: kindOf(e.Type())})
	}
	return out, nil
}

func kindOf(t fs.FileMode) EntryKind {
	switch {
	case t.IsDir():
		return Dir
	case t&fs.ModeSymlink != 0:
		return Symlink
	}
	return Other
}
