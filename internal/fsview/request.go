package fsview

import (
	"path/filepath"
	"strings"
)

// DefaultTmpBytes is the size of the private /tmp when Request.TmpBytes is 0.
const DefaultTmpBytes = 64 << 20

// maxShmBytes caps the private /dev/shm.
const maxShmBytes = 64 << 20

// Pair maps a host path to a sandbox path.
type Pair struct {
	Host    string `json:"host"`              // absolute host path, without symlinks
	Sandbox string `json:"sandbox,omitempty"` // absolute path inside; "" means the same as Host
}

// target is the sandbox path of p.
func (p Pair) target() string {
	if p.Sandbox == "" {
		return p.Host
	}
	return p.Sandbox
}

// Request describes the view to build. Every host path in it that names
// something the sandboxed code may have written (WorkDir, Harness,
// ReadOnly, Writable) must be absolute and free of symlinks: Apply opens
// each component without following links, so a link planted by an earlier
// run cannot redirect a mount. Resolve paths you trust with
// filepath.EvalSymlinks before putting them here.
type Request struct {
	// Runtime is the absolute host path of the program the sandbox runs
	// (node, python3, sh, a binary), already looked up on PATH. If it lives
	// outside the system directories it is bound in, with its ELF
	// dependencies, the interpreter of a "#!" script, and the install prefix
	// of a node or python. A Runtime inside WorkDir or a configured mount is
	// untrusted: nothing is derived from it.
	Runtime string `json:"runtime"`
	// Harness is the absolute host path of the harness file, or "" for none.
	// It is bound read-only at the same path unless a mount already shows it.
	Harness string `json:"harness,omitempty"`
	// WorkDir is the absolute host path of the work directory, shown at the
	// same path inside; "" for none.
	WorkDir string `json:"work_dir,omitempty"`
	// WritableWorkDir makes WorkDir writable; by default it is read-only.
	WritableWorkDir bool `json:"writable_work_dir,omitempty"`
	// ReadOnly and Writable are extra mounts configured by the caller.
	ReadOnly []Pair `json:"read_only,omitempty"`
	Writable []Pair `json:"writable,omitempty"`
	// TmpBytes is the size of the private /tmp tmpfs; 0 means
	// DefaultTmpBytes. /dev/shm gets min(TmpBytes, 64 MiB).
	TmpBytes int64 `json:"tmp_bytes,omitempty"`
	// UID and GID are the payload's ids inside, written to /etc/passwd and
	// /etc/group as user and group "sandbox" with home /tmp.
	UID int `json:"uid"`
	GID int `json:"gid"`
	// Hostname goes to /etc/hostname and /etc/hosts; "" means "sandbox".
	Hostname string `json:"hostname,omitempty"`
}

func (r Request) tmpBytes() int64 {
	if r.TmpBytes == 0 {
		return DefaultTmpBytes
	}
	return r.TmpBytes
}

func (r Request) shmBytes() int64 {
	return min(r.tmpBytes(), maxShmBytes)
}

func (r Request) hostname() string {
	if r.Hostname == "" {
		return "sandbox"
	}
	return r.Hostname
}

// validate checks what can be checked without touching the filesystem.
func (r Request) validate() error {
	if err := checkAbs("runtime", r.Runtime); err != nil {
		return err
	}
	for _, p := range []string{r.Harness, r.WorkDir} {
		if p != "" {
			if err := checkAbs("path", p); err != nil {
				return err
			}
		}
	}
	if r.TmpBytes < 0 || (r.TmpBytes > 0 && r.TmpBytes < 4096) {
		return invalid("/tmp", "TmpBytes %d: want 0 (default) or at least 4096", r.TmpBytes)
	}
	if r.UID < 0 || r.GID < 0 {
		return invalid("", "negative uid/gid %d/%d", r.UID, r.GID)
	}
	if strings.ContainsAny(r.Hostname, "\n\t :") {
		return invalid("", "hostname %q contains a separator", r.Hostname)
	}
	return nil
}

// checkAbs refuses a path that is relative, not clean, or contains "..".
func checkAbs(what, p string) error {
	switch {
	case !filepath.IsAbs(p):
		return invalid(p, "%s %q is not an absolute path", what, p).
			hinted("pass an absolute path")
	case hasDotDot(p):
		return invalid(p, "%s %q contains \"..\"", what, p)
	case filepath.Clean(p) != p:
		return invalid(p, "%s %q is not clean (want %q)", what, p, filepath.Clean(p))
	}
	return nil
}

func hasDotDot(p string) bool {
	for _, c := range strings.Split(p, "/") {
		if c == ".." {
			return true
		}
	}
	return false
}

// under reports whether p is base or lies beneath it (both clean, absolute).
func under(p, base string) bool {
	if base == "/" {
		return true
	}
	return p == base || strings.HasPrefix(p, base+"/")
}

// strictlyUnder reports whether p lies beneath base and is not base.
func strictlyUnder(p, base string) bool {
	return p != base && under(p, base)
}
