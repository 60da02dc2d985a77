//go:build linux

package fsview

import (
	"errors"
	"fmt"
	"os"
	"reflect"

	"golang.org/x/sys/unix"
)

// Paths the stage uses while building the view. After the first
// pivot_root the scratch tmpfs is "/", the host's root is /oldroot and the
// view is assembled on /newroot; the second pivot_root makes /newroot the
// root and both scratch and host root are detached.
const (
	oldRoot = "/oldroot"
	newRoot = "/newroot"
)

// scratchDirs are tried, in order, as the host directory to mount the
// scratch tmpfs on. Nothing is created on the host: the tmpfs covers the
// directory in our private mount namespace only.
var scratchDirs = []string{"/tmp", "/mnt", "/run", "/var/tmp"}

// stage holds the state of one Apply.
type stage struct {
	plan *Plan
	root int             // O_PATH fd of the view's root (/newroot)
	devs map[uint64]bool // st_dev of the view's own tmpfs mounts
	seal []string        // tmpfs mounts to remount read-only at the end
}

// Apply builds the view described by p and enters it. It must run in a
// process that is alone in a new mount namespace and holds CAP_SYS_ADMIN
// in the user namespace owning it (and, for /proc, in a pid namespace of
// its own). On success the process's root is the view and its working
// directory is "/"; the host's tree is no longer reachable. On failure
// the process is left in an unspecified state and must exit.
//
// Apply changes the root and working directory of every thread of the
// process; it does not need a locked OS thread.
func (p *Plan) Apply() error {
	if err := p.Validate(); err != nil {
		return err
	}
	prep, err := Prepare(p.RootBytes)
	if err != nil {
		return err
	}
	return p.ApplyPrepared(prep)
}

// OwnMountNS reports whether this process has a mount namespace of its
// own (Prepare would not refuse with ErrSharedMountNS).
func OwnMountNS() bool { return checkMountNS() == nil }

// ErrSharedMountNS is returned by Prepare in a mount namespace that is not
// our own (a process without CLONE_NEWNS): nothing was changed.
var ErrSharedMountNS = errors.New("not in a mount namespace of our own")

// Preparation is the part of Apply that does not depend on the plan: the
// private propagation, the scratch root with the host's kept at /oldroot,
// and the view's empty root of rootBytes. A sandbox supervisor started
// ahead of time does it while it waits for its plan.
type Preparation struct {
	s    *stage
	base []Op // steps already applied (ApplyBase)
}

// ErrBaseChanged: the plan does not start with the steps ApplyBase
// applied (the host's /etc changed in between, say). The namespace is in
// an unspecified state: build the sandbox again from scratch.
var ErrBaseChanged = errors.New("the view's prepared base differs from the plan")

// ApplyBase applies, ahead of the plan, steps every plan starts with
// (BaseOps). ApplyPrepared then checks the plan starts with them and
// applies only the rest.
func (prep *Preparation) ApplyBase(ops []Op) error {
	p := Plan{Ops: ops, RootBytes: prep.s.plan.RootBytes}
	if err := p.Validate(); err != nil {
		return err
	}
	prep.s.plan = &p
	if err := prep.s.runOps(); err != nil {
		return err
	}
	prep.base = ops
	return nil
}

// Prepare does the plan-independent start of Apply. On ErrSharedMountNS
// nothing was changed; on any other error the mount namespace is in an
// unspecified state and ApplyPrepared must not be called.
func Prepare(rootBytes int64) (*Preparation, error) {
	if err := checkMountNS(); err != nil {
		return nil, errors.Join(ErrSharedMountNS, err)
	}
	s := &stage{plan: &Plan{RootBytes: rootBytes}, root: -1, devs: map[uint64]bool{}}
	for _, step := range []func() error{
		s.makePrivate,  // nothing we mount may propagate to the host
		s.enterScratch, // a root of our own, the host's kept at /oldroot
		s.mountRoot,    // the view's empty root tmpfs
		s.checkHostProc,
	} {
		if err := step(); err != nil {
			s.close()
			return nil, err
		}
	}
	return &Preparation{s: s}, nil
}

// remaining returns the plan's steps not yet applied by ApplyBase.
func (prep *Preparation) remaining(p *Plan) ([]Op, error) {
	n := len(prep.base)
	if n == 0 {
		return p.Ops, nil
	}
	if len(p.Ops) < n || !reflect.DeepEqual(p.Ops[:n], prep.base) {
		return nil, &StepError{Step: "apply", Err: ErrBaseChanged}
	}
	return p.Ops[n:], nil
}

// ApplyPrepared finishes Apply after Prepare: it applies the plan's steps
// and enters the view. The plan's RootBytes must be the one prepared.
func (p *Plan) ApplyPrepared(prep *Preparation) error {
	if err := p.Validate(); err != nil {
		return err
	}
	s := prep.s
	defer s.close()
	if p.RootBytes != s.plan.RootBytes {
		return &StepError{Step: "apply", Err: fmt.Errorf("plan root size %d, prepared %d: %w", p.RootBytes, s.plan.RootBytes, ErrInvalid)}
	}
	rest, err := prep.remaining(p)
	if err != nil {
		return err
	}
	s.plan = &Plan{Ops: rest, RootBytes: p.RootBytes}
	for _, step := range []func() error{
		s.runOps,
		s.dropOldRoot, // no host path stays reachable
		s.enterView,   // pivot into the view, detach the scratch root
		s.sealMounts,  // root and /dev read-only
	} {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

func (s *stage) close() {
	if s.root >= 0 {
		unix.Close(s.root)
		s.root = -1
	}
}

// checkMountNS refuses to run in a mount namespace that is not our own:
// the one of the host's init or of our parent process. Apply there (as
// root) would rearrange the host's mounts. A namespace we cannot read (the
// usual case from a user namespace, or across a pid namespace) is one we
// are not privileged over either.
func checkMountNS() error {
	self, err := os.Readlink("/proc/self/ns/mnt")
	if err != nil {
		return nil
	}
	others := []string{"/proc/1/ns/mnt"}
	if ppid := os.Getppid(); ppid > 0 {
		others = append(others, fmt.Sprintf("/proc/%d/ns/mnt", ppid))
	}
	for _, p := range others {
		if ns, err := os.Readlink(p); err == nil && ns == self {
			return &StepError{Step: "check-mount-ns", Path: p, Err: fmt.Errorf("not in a mount namespace of our own: %w", unix.EPERM),
				Hint: "Apply must run in a process cloned with CLONE_NEWNS (and CLONE_NEWUSER)"}
		}
	}
	return nil
}

// makePrivate remounts "/" recursively private. CLONE_NEWNS copies the
// mount tree with its propagation: on a host where "/" is shared, our
// mounts would otherwise appear on the host (or host mounts in here).
func (s *stage) makePrivate() error {
	err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, "")
	return mountHint(stepErr("make-private", "/", err))
}

// enterScratch mounts a small tmpfs over a host directory (in our
// namespace only), creates newroot and oldroot in it and pivots into it.
// Nothing is created on the host, so no predictable host path can be
// raced (bubblewrap CVE-2019-12439).
func (s *stage) enterScratch() error {
	dir, err := scratchDir()
	if err != nil {
		return err
	}
	err = unix.Mount("tmpfs", dir, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, "size=65536,mode=0700")
	if err != nil {
		return mountHint(stepErr("mount-scratch", dir, err))
	}
	if err := unix.Chdir(dir); err != nil {
		return stepErr("chdir", dir, err)
	}
	if err := checkFsType(".", unix.TMPFS_MAGIC, "tmpfs"); err != nil {
		return stepErr("mount-scratch", dir, err)
	}
	for _, d := range []string{"newroot", "oldroot"} {
		if err := unix.Mkdir(d, 0o755); err != nil {
			return stepErr("mkdir", dir+"/"+d, err)
		}
	}
	if err := unix.PivotRoot(".", "oldroot"); err != nil {
		return withHint(stepErr("pivot_root", dir, err), "pivot_root needs a private mount namespace whose root is a mount point")
	}
	return stepErr("chdir", "/", unix.Chdir("/"))
}

// scratchDir returns the first of scratchDirs that is a real directory.
func scratchDir() (string, error) {
	for _, d := range scratchDirs {
		var st unix.Stat_t
		if unix.Lstat(d, &st) == nil && st.Mode&unix.S_IFMT == unix.S_IFDIR {
			return d, nil
		}
	}
	return "", &StepError{Step: "mount-scratch", Err: fmt.Errorf("none of %v is a directory", scratchDirs)}
}

func checkFsType(path string, magic int64, name string) error {
	var st unix.Statfs_t
	if err := unix.Statfs(path, &st); err != nil {
		return err
	}
	if int64(st.Type) != magic {
		return fmt.Errorf("%s is not a %s (type %#x)", path, name, st.Type)
	}
	return nil
}

// mountRoot mounts the view's root: an empty tmpfs, nosuid, nodev,
// remounted read-only at the end.
func (s *stage) mountRoot() error {
	data := fmt.Sprintf("size=%d,mode=0755", s.plan.RootBytes)
	if err := unix.Mount("tmpfs", newRoot, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, data); err != nil {
		return mountHint(stepErr("mount-root", "/", err))
	}
	fd, err := s.trackTmpfs(newRoot)
	if err != nil {
		return stepErr("mount-root", "/", err)
	}
	s.root = fd
	return nil
}

// trackTmpfs records the device of a tmpfs the view owns; targets may
// only be created on those. It returns an O_PATH fd of the mount's root.
func (s *stage) trackTmpfs(path string) (int, error) {
	fd, err := unix.Open(path, unix.O_PATH|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1, err
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return -1, err
	}
	s.devs[st.Dev] = true
	return fd, nil
}

// checkHostProc: sources and targets are mounted through
// /oldroot/proc/self/fd/N, so the host's /proc must be a procfs.
func (s *stage) checkHostProc() error {
	err := checkFsType(oldRoot+"/proc", unix.PROC_SUPER_MAGIC, "procfs")
	return withHintIf(stepErr("check-proc", "/proc", err), "the host's /proc must be mounted: mount sources are opened without following symlinks and bound through /proc/self/fd")
}

// runOps applies every op in order. A missing source of an optional op is
// skipped; any other failure aborts.
func (s *stage) runOps() error {
	for _, op := range s.plan.Ops {
		err := s.apply(op)
		if err == nil || (op.Optional && errors.Is(err, unix.ENOENT)) {
			continue
		}
		return stepErr(string(op.Kind), op.Target, err)
	}
	return nil
}

func (s *stage) apply(op Op) error {
	switch op.Kind {
	case OpTmpfs:
		return s.mountTmpfs(op)
	case OpProc:
		return s.mountProc(op)
	case OpProcRO:
		return s.procReadOnly(op)
	case OpBindRO, OpBindRW, OpDevice:
		return s.bind(op)
	case OpSymlink:
		return s.symlink(op)
	case OpDir:
		return s.mkdir(op)
	case OpFile:
		return s.writeFile(op)
	}
	return fmt.Errorf("unknown step kind %q", op.Kind)
}

// dropOldRoot detaches the host's root: after this no host path is
// reachable from the stage or the payload (only the open fds it was
// given, which the caller closes).
func (s *stage) dropOldRoot() error {
	if err := unix.Mount("", oldRoot, "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
		return stepErr("make-private", oldRoot, err)
	}
	return stepErr("umount", oldRoot, unix.Unmount(oldRoot, unix.MNT_DETACH))
}

// enterView makes the view the root with pivot_root(".", ".") and detaches
// the scratch root stacked on top of it, as bubblewrap does.
func (s *stage) enterView() error {
	old, err := unix.Open("/", unix.O_DIRECTORY|unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return stepErr("open", "/", err)
	}
	defer unix.Close(old)
	if err := unix.Chdir(newRoot); err != nil {
		return stepErr("chdir", newRoot, err)
	}
	if err := unix.PivotRoot(".", "."); err != nil {
		return stepErr("pivot_root", "/", err)
	}
	if err := unix.Fchdir(old); err != nil {
		return stepErr("fchdir", "/", err)
	}
	if err := unix.Unmount(".", unix.MNT_DETACH); err != nil {
		return stepErr("umount", "scratch root", err)
	}
	return stepErr("chdir", "/", unix.Chdir("/"))
}

// sealMounts remounts the sealed tmpfs mounts (/dev) and then the root
// read-only: the sandbox cannot add files next to the view's devices,
// replace /etc/passwd, or create entries in the root; and cannot fill
// memory through them (only /tmp and /dev/shm are writable, each sized).
func (s *stage) sealMounts() error {
	for _, p := range append(s.seal, "/") {
		if err := remount(p, unix.MS_RDONLY|unix.MS_NOSUID|unix.MS_NODEV); err != nil {
			return stepErr("seal", p, err)
		}
	}
	return stepErr("chdir", "/", unix.Chdir("/"))
}
