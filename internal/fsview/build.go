package fsview

import (
	"errors"
	"io/fs"
	"os"
	"sort"
)

// builder accumulates the ops of a plan.
type builder struct {
	req         Request
	ops         []Op // view skeleton, system and runtime steps, in order
	user        []Op // caller-configured binds, appended last
	runtimeFrom int  // index in ops of the first runtime step
}

// Build computes the plan for req. It needs no privileges and changes
// nothing: it only reads the host filesystem (lstat, readlink, ELF
// headers, /etc/ld.so.cache). Apply re-checks every source when it runs.
func Build(req Request) (Plan, error) {
	if err := req.validate(); err != nil {
		return Plan{}, err
	}
	b := &builder{req: req}
	user, err := userBinds(req)
	if err != nil {
		return Plan{}, err
	}
	b.user = user
	// The request-independent steps come first (BaseOps): a supervisor
	// started ahead of time applies them while it waits for its plan.
	for _, step := range append(b.baseSteps(), b.addTmp, b.addShm, b.addRuntime) {
		if err := step(); err != nil {
			return Plan{}, err
		}
	}
	plan := Plan{Ops: append(b.ops, b.user...), RootBytes: rootBytes}
	return plan, plan.Validate()
}

func (b *builder) add(op Op) { b.ops = append(b.ops, op) }

// baseSteps build the part of every view that depends only on the
// sandbox's ids and hostname: /dev, /proc, the system directories, /etc.
func (b *builder) baseSteps() []func() error {
	return []func() error{b.addDev, b.addProc, b.addSystem, b.addEtc}
}

// BaseOps returns the first steps of every plan Build makes for a request
// with these ids and hostname (the same host files): what does not depend
// on the runtime, the work dir or the mounts.
func BaseOps(uid, gid int, hostname string) ([]Op, error) {
	b := &builder{req: Request{UID: uid, GID: gid, Hostname: hostname}}
	for _, step := range b.baseSteps() {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return b.ops, nil
}

// addTmp: a private, size-limited /tmp, so the sandbox neither sees nor
// fills the host's /tmp (and a disk fill is bounded: RLIMIT_FSIZE bounds
// one file, a tmpfs size bounds them all).
func (b *builder) addTmp() error {
	b.add(Op{Kind: OpTmpfs, Target: "/tmp", Size: b.req.tmpBytes(), Mode: 0o1777, Access: AccessReadWrite})
	b.add(Op{Kind: OpSymlink, Target: "/var/tmp", LinkTo: "/tmp"})
	return nil
}

// addDev: a minimal /dev on its own small tmpfs, sealed read-only: the
// five harmless character devices, no tty (no TIOCSTI injection into a
// terminal), no ptmx, no disks; and a private /dev/shm so POSIX shared
// memory is not shared with the host or other sandboxes.
func (b *builder) addDev() error {
	b.add(Op{Kind: OpTmpfs, Target: "/dev", Size: 64 << 10, Mode: 0o755, NoExec: true, Seal: true})
	for _, d := range []struct {
		name     string
		access   Access
		optional bool
	}{{"null", AccessDevice, false}, {"zero", AccessDevice, false}, {"full", AccessDevice, true},
		{"random", AccessRead, false}, {"urandom", AccessRead, false}} {
		p := "/dev/" + d.name
		b.add(Op{Kind: OpDevice, Source: p, Target: p, Access: d.access, Optional: d.optional})
	}
	b.add(Op{Kind: OpSymlink, Target: "/dev/fd", LinkTo: "/proc/self/fd"})
	for i, name := range []string{"stdin", "stdout", "stderr"} {
		b.add(Op{Kind: OpSymlink, Target: "/dev/" + name, LinkTo: "/proc/self/fd/" + string(rune('0'+i))})
	}
	return nil
}

// addShm: a private /dev/shm, so POSIX shared memory is not shared with
// the host or other sandboxes; its size follows the request's /tmp.
func (b *builder) addShm() error {
	b.add(Op{Kind: OpTmpfs, Target: "/dev/shm", Size: b.req.shmBytes(), Mode: 0o1777, Access: AccessReadWrite})
	return nil
}

// procReadOnly are the /proc entries re-bound read-only, as bubblewrap
// does: kernel tunables, the magic SysRq trigger, IRQ affinity, bus and
// filesystem controls. A uid-0 payload can otherwise write some of them.
var procReadOnly = []string{"sys", "sysrq-trigger", "irq", "bus", "fs"}

// addProc: a fresh /proc of the sandbox's own pid namespace, so other
// processes (and their environments and command lines) are invisible.
func (b *builder) addProc() error {
	b.add(Op{Kind: OpProc, Target: "/proc", Access: AccessRead})
	for _, name := range procReadOnly {
		b.add(Op{Kind: OpProcRO, Target: "/proc/" + name, Optional: true})
	}
	return nil
}

// systemDirs are bound read-only when they are directories, recreated as
// symlinks when they are symlinks (merged /usr).
var systemDirs = []string{"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"}

// addSystem: the host's programs and libraries, read-only, nosuid, nodev.
func (b *builder) addSystem() error {
	for _, dir := range systemDirs {
		fi, err := os.Lstat(dir)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue
		case err != nil:
			return stepErr("lstat", dir, err)
		case fi.Mode()&fs.ModeSymlink != 0:
			if _, _, err := b.expose(dir); err != nil {
				return err
			}
		case fi.IsDir():
			b.add(Op{Kind: OpBindRO, Source: dir, Target: dir, Access: AccessReadExec})
		}
	}
	return nil
}

// userBinds turns the work dir, the harness and the configured mounts into
// ops, refusing sources that are missing or reached through a symlink and
// targets in reserved places.
func userBinds(req Request) ([]Op, error) {
	var ops []Op
	if req.WorkDir != "" {
		op := Op{Kind: OpBindRO, Source: req.WorkDir, Target: req.WorkDir, Access: AccessReadExec}
		if req.WritableWorkDir {
			op.Kind, op.Access = OpBindRW, AccessReadWrite
		}
		ops = append(ops, op)
	}
	for _, p := range req.ReadOnly {
		ops = append(ops, Op{Kind: OpBindRO, Source: p.Host, Target: p.target(), Access: AccessReadExec})
	}
	for _, p := range req.Writable {
		ops = append(ops, Op{Kind: OpBindRW, Source: p.Host, Target: p.target(), Access: AccessReadWrite})
	}
	if req.Harness != "" && !shownBy(ops, req.Harness) {
		ops = append(ops, Op{Kind: OpBindRO, Source: req.Harness, Target: req.Harness, Access: AccessReadExec})
	}
	for _, op := range ops {
		if err := checkUserBind(op); err != nil {
			return nil, err
		}
	}
	sort.SliceStable(ops, func(i, j int) bool { return ops[i].Target < ops[j].Target })
	return ops, nil
}

// shownBy reports whether host path p is visible at the same path through
// one of ops (a bind whose source and target are the same path).
func shownBy(ops []Op, p string) bool {
	for _, op := range ops {
		if isBind(op.Kind) && op.Source == op.Target && under(p, op.Target) {
			return true
		}
	}
	return false
}

// fromUser reports whether host path p lies in a caller-configured mount,
// whose content the sandboxed code may have written.
func fromUser(ops []Op, p string) bool {
	for _, op := range ops {
		if under(p, op.Source) {
			return true
		}
	}
	return false
}

func isBind(k OpKind) bool { return k == OpBindRO || k == OpBindRW }

// checkUserBind validates a caller-configured mount: absolute clean paths,
// a target outside the reserved trees and not the root, and a source that
// exists and is reached without any symlink.
func checkUserBind(op Op) error {
	if err := checkAbs("source", op.Source); err != nil {
		return err
	}
	if err := checkAbs("target", op.Target); err != nil {
		return err
	}
	if op.Target == "/" || reservedPath(op.Target) {
		return invalid(op.Target, "mount target %s is reserved", op.Target).
			hinted("choose a target outside /, /proc, /dev, /sys, /oldroot and /newroot")
	}
	if under(op.Source, "/proc") {
		return invalid(op.Source, "mount source under /proc")
	}
	return checkNoSymlinks(op.Source)
}

// checkNoSymlinks lstat()s every component of p and refuses a symlink or a
// missing path. Apply repeats the check with O_NOFOLLOW opens.
func checkNoSymlinks(p string) error {
	for cur := p; ; cur = parentDir(cur) {
		fi, err := os.Lstat(cur)
		if err != nil {
			return stepErr("lstat", cur, err)
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			return symlinkRefused(cur)
		}
		if cur == "/" {
			return nil
		}
	}
}

func symlinkRefused(p string) error {
	return invalid(p, "%s is a symlink", p).hinted(symlinkHint)
}

const symlinkHint = "symlinks in mount sources are never followed, so a link planted by sandboxed code cannot redirect a mount; pass the resolved path (filepath.EvalSymlinks) of a location you trust"

func parentDir(p string) string {
	for i := len(p) - 1; i > 0; i-- {
		if p[i] == '/' {
			return p[:i]
		}
	}
	return "/"
}
