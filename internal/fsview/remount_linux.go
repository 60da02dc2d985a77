//go:build linux

package fsview

import (
	"bufio"
	"os"

	"golang.org/x/sys/unix"
)

// statfs(2) f_flags bits that x/sys/unix does not name.
const (
	stNodev       = 0x4
	stNoexec      = 0x8
	stNoatime     = 0x400
	stNodiratime  = 0x800
	stRelatime    = 0x1000
	stNosymfollow = 0x2000
)

// keptFlags maps statfs flags to the mount flags a bind remount must
// repeat. In a user namespace the kernel locks the flags of mounts that
// came from a more privileged namespace (nosuid, nodev, noexec, rdonly,
// atime): a remount that drops one fails with EPERM, so we OR them in.
var keptFlags = []struct{ st, ms uintptr }{
	{unix.ST_RDONLY, unix.MS_RDONLY}, {unix.ST_NOSUID, unix.MS_NOSUID}, {stNodev, unix.MS_NODEV},
	{stNoexec, unix.MS_NOEXEC}, {stNoatime, unix.MS_NOATIME}, {stNodiratime, unix.MS_NODIRATIME},
	{stRelatime, unix.MS_RELATIME}, {stNosymfollow, unix.MS_NOSYMFOLLOW},
}

func mountFlagsOf(stFlags uintptr) uintptr {
	var ms uintptr
	for _, f := range keptFlags {
		if stFlags&f.st != 0 {
			ms |= f.ms
		}
	}
	return ms
}

// remount changes the per-mount flags of the mount at path, adding extra
// to the flags it already has.
func remount(path string, extra uintptr) error {
	var st unix.Statfs_t
	if err := unix.Statfs(path, &st); err != nil {
		return err
	}
	flags := mountFlagsOf(uintptr(st.Flags)) | extra | unix.MS_REMOUNT | unix.MS_BIND
	return mountHint(unix.Mount("", path, "", flags, ""))
}

// remountTree remounts path and, when recursive, every mount below it: a
// recursive bind copies submounts with their own flags, and a read-only
// parent does not make them read-only.
func remountTree(path string, extra uintptr, recursive bool) error {
	mounts := []string{path}
	if recursive {
		subs, err := submounts(path)
		if err != nil {
			return err
		}
		mounts = append(mounts, subs...)
	}
	for _, m := range mounts {
		if err := remount(m, extra); err != nil {
			return stepErr("remount", m, err)
		}
	}
	return nil
}

// submounts lists the mount points strictly below path, from
// /proc/self/mountinfo (of the host's procfs, whose paths are relative to
// our current root).
func submounts(path string) ([]string, error) {
	f, err := os.Open(oldRoot + "/proc/self/mountinfo")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		mp, ok := mountPoint(sc.Text())
		if ok && strictlyUnder(mp, path) {
			out = append(out, mp)
		}
	}
	return out, sc.Err()
}
