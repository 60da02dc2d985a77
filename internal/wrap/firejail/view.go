package firejail

import (
	"fmt"
	"strings"

	"github.com/procjail/procjail/internal/fsview"
)

// systemDirs are shown as they are on the host (read-only): they hold
// the programs and libraries, and merged-/usr symlinks point into them.
var systemDirs = []string{"usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32"}

// managedDirs are replaced by firejail itself: private-etc, private-dev,
// private-tmp and its own /proc. /home is left to private, which shows
// only the (empty) home of the uid firejail runs as, or to the whitelist
// of a path inside it.
var managedDirs = []string{"etc", "dev", "tmp", "proc"}

// emptyName is whitelisted in a top-level directory to empty it: it does
// not exist, so firejail mounts a tmpfs over the directory and binds
// nothing into it.
const emptyName = ".procjail-empty"

// shown is a host path the view binds at the same path.
type shown struct {
	path     string
	readOnly bool
}

// viewOf reads the plan: the /etc entries to copy, and the host paths to
// whitelist. Everything else in a plan is what firejail's private-*
// options give, or cannot be expressed and is an error.
func viewOf(plan *fsview.Plan) (etc []string, paths []shown, err error) {
	for _, op := range plan.Ops {
		if name, ok := etcEntry(op); ok {
			etc = appendNew(etc, name)
			continue
		}
		p, err := opPath(op)
		if err != nil {
			return nil, nil, err
		}
		if p.path != "" {
			paths = append(paths, p)
		}
	}
	return etc, paths, nil
}

// etcEntry reports the name under /etc that private-etc must copy for op.
func etcEntry(op fsview.Op) (string, bool) {
	rel, ok := strings.CutPrefix(op.Target, "/etc/")
	if !ok || op.Kind == fsview.OpDir {
		return "", false
	}
	return rel, true
}

// opPath maps one non-/etc op: binds outside the system directories are
// whitelisted; tmpfs, devices, proc, symlinks and directories come from
// firejail's own options or the host as it is.
func opPath(op fsview.Op) (shown, error) {
	switch op.Kind {
	case fsview.OpBindRO, fsview.OpBindRW:
		if op.Source != op.Target {
			return shown{}, planErr(op, "firejail can show a host path only at the same path",
				"use the bubblewrap or unshare strategy for mounts at another path")
		}
		if inAny(op.Target, systemDirs) {
			return shown{}, nil
		}
		return shown{path: op.Target, readOnly: op.Kind == fsview.OpBindRO}, nil
	case fsview.OpTmpfs:
		if !inAny(op.Target, []string{"tmp", "dev"}) {
			return shown{}, planErr(op, "firejail has no sized tmpfs here", "")
		}
	case fsview.OpFile:
		return shown{}, planErr(op, "firejail cannot create files outside /etc", "")
	}
	return shown{}, nil
}

// inAny reports whether p lies in one of the top-level directories.
func inAny(p string, tops []string) bool {
	for _, top := range tops {
		if p == "/"+top || strings.HasPrefix(p, "/"+top+"/") {
			return true
		}
	}
	return false
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func planErr(op fsview.Op, msg, hint string) error {
	return inputErr("Plan", fmt.Sprintf("%s: %s", op, msg), hint)
}
