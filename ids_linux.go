package procjail

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
)

// Host uids procjail gives sandboxes when the caller is root: a block of
// 65536 ids far above any distribution's user and subordinate-id ranges.
// Each sandbox gets its own uid and gid, chosen at random in the block, so
// it owns no host object and RLIMIT_NPROC counts only its own tasks.
const (
	SandboxIDBase  = 0x70000000
	SandboxIDCount = 1 << 16
)

// sandboxIDs are the host uid/gid a sandbox's payload runs as.
type sandboxIDs struct {
	uid, gid  int
	dedicated bool // a uid of its own (root caller) rather than the caller's
}

func allocIDs() sandboxIDs {
	if os.Geteuid() != 0 || !idBlockMapped() {
		// Not root, or root of a user namespace (a rootless container)
		// that cannot use the block: the payload keeps the caller's ids,
		// and Enforced() says what that means.
		return sandboxIDs{uid: os.Getuid(), gid: os.Getgid()}
	}
	var b [4]byte
	rand.Read(b[:])
	id := SandboxIDBase + int(binary.LittleEndian.Uint32(b[:])%SandboxIDCount)
	return sandboxIDs{uid: id, gid: id, dedicated: true}
}

// checkReachable verifies that a dedicated sandbox uid (which only has
// "other" permissions) can reach what the payload needs: the runtime, the
// harness and the work dir. Spawn fails with the offending path and a fix
// rather than letting the payload fail obscurely.
func (j *job) checkReachable(ids sandboxIDs) error {
	if !ids.dedicated {
		return nil
	}
	checks := []struct {
		field, path string
		need        os.FileMode
	}{
		{"runtime_path", j.runtime, 0o005},
		{"work_dir", j.workDir, 0o005},
	}
	if j.harness != "" {
		checks = append(checks, struct {
			field, path string
			need        os.FileMode
		}{"harness", j.harness, 0o004})
	}
	if j.cfg.WritableWorkDir {
		checks = append(checks, struct {
			field, path string
			need        os.FileMode
		}{"writable_work_dir", j.workDir, 0o007})
	}
	for _, c := range checks {
		if err := otherCan(c.path, c.need); err != nil {
			return &Error{Op: "spawn", Field: c.field, Err: err,
				Hint: fmt.Sprintf("as root, procjail runs the payload as an unprivileged uid with only \"other\" permissions: make %s reachable (chmod o+rx on it and o+x on each parent directory), or run as a non-root user", c.path)}
		}
	}
	return nil
}

// otherCan checks that "other" has need on path and search (x) on every
// parent directory.
func otherCan(path string, need os.FileMode) error {
	for dir := filepath.Dir(path); ; dir = filepath.Dir(dir) {
		if err := modeHas(dir, 0o001); err != nil {
			return err
		}
		if dir == "/" {
			break
		}
	}
	return modeHas(path, need)
}

func modeHas(path string, need os.FileMode) error {
	var st syscall.Stat_t
	if err := syscall.Stat(path, &st); err != nil {
		return err
	}
	if os.FileMode(st.Mode)&need != need {
		return fmt.Errorf("%s is mode %04o: \"other\" lacks %03o", path, st.Mode&0o7777, need)
	}
	return nil
}

// idBlockMapped reports whether this user namespace maps the whole block
// of sandbox ids (it does in the initial namespace).
var idBlockMapped = sync.OnceValue(func() bool {
	return mapsRange("/proc/self/uid_map") && mapsRange("/proc/self/gid_map")
})

func mapsRange(file string) bool {
	b, err := os.ReadFile(file)
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(b), "\n") {
		var inside, outside, count uint64
		if n, _ := fmt.Sscan(line, &inside, &outside, &count); n == 3 &&
			inside <= SandboxIDBase && inside+count >= SandboxIDBase+SandboxIDCount {
			return true
		}
	}
	return false
}
