//go:build linux

package fsview

import (
	"errors"
	"fmt"
	"strconv"

	"golang.org/x/sys/unix"
)

// fdPath names an open fd through the host's /proc, for mount(2): binding
// from and onto fds means the kernel mounts exactly the inode we opened
// without following symlinks, not whatever a path names by then.
func fdPath(fd int) string { return oldRoot + "/proc/self/fd/" + strconv.Itoa(fd) }

// viewPath is where sandbox path p is while the view is being built.
func viewPath(p string) string { return newRoot + p }

// mountTmpfs mounts a sized tmpfs (nosuid, nodev, optionally noexec).
func (s *stage) mountTmpfs(op Op) error {
	mp, err := s.mountpoint(op.Target, true)
	if err != nil {
		return err
	}
	defer unix.Close(mp)
	flags := uintptr(unix.MS_NOSUID | unix.MS_NODEV)
	if op.NoExec {
		flags |= unix.MS_NOEXEC
	}
	data := fmt.Sprintf("size=%d,mode=%o", op.Size, op.Mode)
	if err := unix.Mount("tmpfs", fdPath(mp), "tmpfs", flags, data); err != nil {
		return mountHint(err)
	}
	fd, err := s.trackTmpfs(viewPath(op.Target))
	if err != nil {
		return err
	}
	unix.Close(fd)
	if op.Seal {
		s.seal = append(s.seal, op.Target)
	}
	return nil
}

// mountProc mounts a fresh procfs, which shows only the sandbox's pid
// namespace (nosuid, nodev, noexec).
func (s *stage) mountProc(op Op) error {
	mp, err := s.mountpoint(op.Target, true)
	if err != nil {
		return err
	}
	defer unix.Close(mp)
	err = unix.Mount("proc", fdPath(mp), "proc", unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, "")
	if errors.Is(err, unix.EPERM) || errors.Is(err, unix.EBUSY) || errors.Is(err, unix.EACCES) {
		return &StepError{Step: string(op.Kind), Path: op.Target, Err: err, Hint: procHint}
	}
	return err
}

const procHint = "the kernel refused a fresh /proc: the sandbox needs a pid namespace of its own " +
	"(CLONE_NEWPID) owned by its user namespace, and the kernel refuses it when the visible /proc " +
	"has parts masked by over-mounts, as container runtimes do (Docker: run with " +
	"--security-opt systempaths=unconfined, or use a strategy that does not mount /proc)"

// procReadOnly re-binds a path of the fresh /proc onto itself read-only.
func (s *stage) procReadOnly(op Op) error {
	p := viewPath(op.Target)
	fd, err := unix.Open(p, unix.O_PATH|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	attr := uint64(unix.MOUNT_ATTR_RDONLY | unix.MOUNT_ATTR_NOSUID | unix.MOUNT_ATTR_NODEV | unix.MOUNT_ATTR_NOEXEC)
	if err := attachTree(fd, fd, attr, true); err != errNoMountAPI {
		return err
	}
	if err := unix.Mount(fdPath(fd), fdPath(fd), "", unix.MS_BIND|unix.MS_REC, ""); err != nil {
		return mountHint(err)
	}
	return remountTree(p, unix.MS_RDONLY|unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, true)
}

// bind binds a host source, opened without following any symlink, onto a
// fresh mount point of the view, then remounts it (and every submount)
// nosuid, nodev and, for bind-ro, read-only. Devices are bound without
// their submounts and remounted nosuid, noexec (not nodev: they are
// devices).
func (s *stage) bind(op Op) error {
	src, isDir, err := openSource(op)
	if err != nil {
		return err
	}
	defer unix.Close(src)
	mp, err := s.mountpoint(op.Target, isDir)
	if err != nil {
		return err
	}
	defer unix.Close(mp)
	flags, extra := uintptr(unix.MS_BIND|unix.MS_REC), uintptr(unix.MS_NOSUID|unix.MS_NODEV)
	attr := uint64(unix.MOUNT_ATTR_NOSUID | unix.MOUNT_ATTR_NODEV)
	switch op.Kind {
	case OpBindRO:
		extra |= unix.MS_RDONLY
		attr |= unix.MOUNT_ATTR_RDONLY
	case OpDevice:
		flags, extra = unix.MS_BIND, unix.MS_NOSUID|unix.MS_NOEXEC
		attr = unix.MOUNT_ATTR_NOSUID | unix.MOUNT_ATTR_NOEXEC
	}
	if err := attachTree(src, mp, attr, op.Kind != OpDevice); err != errNoMountAPI {
		return err
	}
	if err := unix.Mount(fdPath(src), fdPath(mp), "", flags, ""); err != nil {
		return mountHint(err)
	}
	return remountTree(viewPath(op.Target), extra, op.Kind != OpDevice)
}

// errNoMountAPI: the kernel predates open_tree/mount_setattr (Linux 5.12);
// bind falls back to mount(2) and a remount of every submount.
var errNoMountAPI = errors.New("new mount API unavailable")

// attachTree clones the tree at src (recursively when rec), sets attr on
// every mount of the clone while it is still detached — so no window
// exists in which it is writable or setuid — and attaches it at mp.
func attachTree(src, mp int, attr uint64, rec bool) error {
	fl := uint(unix.OPEN_TREE_CLONE | unix.OPEN_TREE_CLOEXEC | unix.AT_EMPTY_PATH)
	if rec {
		fl |= unix.AT_RECURSIVE
	}
	tree, err := unix.OpenTree(src, "", fl)
	if errors.Is(err, unix.ENOSYS) {
		return errNoMountAPI
	}
	if err != nil {
		return mountHint(err)
	}
	defer unix.Close(tree)
	set := &unix.MountAttr{Attr_set: attr}
	if err := unix.MountSetattr(tree, "", unix.AT_EMPTY_PATH|unix.AT_RECURSIVE, set); err != nil {
		if errors.Is(err, unix.ENOSYS) {
			return errNoMountAPI
		}
		return mountHint(err)
	}
	err = unix.MoveMount(tree, "", mp, "", unix.MOVE_MOUNT_F_EMPTY_PATH|unix.MOVE_MOUNT_T_EMPTY_PATH)
	return mountHint(err)
}

// openSource opens a bind source below the host's root without following
// any symlink and checks its type: directories and regular files for
// binds (never sockets, fifos or devices), character devices for OpDevice.
func openSource(op Op) (int, bool, error) {
	fd, err := openNoFollow(oldRoot, op.Source)
	if err != nil {
		e := &StepError{Step: string(op.Kind), Path: op.Source, Err: err}
		if errors.Is(err, unix.ELOOP) {
			e.Hint = symlinkHint
		}
		return -1, false, e
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return -1, false, err
	}
	kind := st.Mode & unix.S_IFMT
	ok := kind == unix.S_IFDIR || kind == unix.S_IFREG
	if op.Kind == OpDevice {
		ok = kind == unix.S_IFCHR
	}
	if !ok {
		unix.Close(fd)
		return -1, false, &StepError{Step: string(op.Kind), Path: op.Source, Err: fmt.Errorf("unexpected file type %#o", kind)}
	}
	return fd, kind == unix.S_IFDIR, nil
}

// symlink creates a symlink in the view.
func (s *stage) symlink(op Op) error {
	dir, name, err := s.parent(op.Target)
	if err != nil {
		return err
	}
	defer unix.Close(dir)
	return unix.Symlinkat(op.LinkTo, dir, name)
}

// mkdir creates a directory in the view (an existing one is kept).
func (s *stage) mkdir(op Op) error {
	dir, name, err := s.parent(op.Target)
	if err != nil {
		return err
	}
	defer unix.Close(dir)
	if err := unix.Mkdirat(dir, name, 0o755); err != nil && !errors.Is(err, unix.EEXIST) {
		return err
	}
	fd, err := s.openDir(dir, name)
	if err != nil {
		return err
	}
	unix.Close(fd)
	return unix.Fchmodat(dir, name, op.Mode, 0)
}

// writeFile creates a new file in the view holding op.Content.
func (s *stage) writeFile(op Op) error {
	dir, name, err := s.parent(op.Target)
	if err != nil {
		return err
	}
	defer unix.Close(dir)
	fd, err := unix.Openat(dir, name, unix.O_CREAT|unix.O_EXCL|unix.O_WRONLY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	if err := writeAll(fd, []byte(op.Content)); err != nil {
		return err
	}
	return unix.Fchmod(fd, op.Mode)
}

func writeAll(fd int, b []byte) error {
	for len(b) > 0 {
		n, err := unix.Write(fd, b)
		if err != nil {
			return err
		}
		b = b[n:]
	}
	return nil
}

// mountHint adds a hint to a mount failure that means missing privilege.
func mountHint(err error) error {
	if errors.Is(err, unix.EPERM) {
		return withHint(err, "mounting needs CAP_SYS_ADMIN in the user namespace that owns this mount namespace: run in a process cloned with CLONE_NEWUSER|CLONE_NEWNS")
	}
	return err
}
