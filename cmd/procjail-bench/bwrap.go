package main

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"strings"
)

// rootDirs are the top-level system directories bound into the bwrap
// sandbox: read-only when they are directories, recreated as symlinks
// when they are symlinks (merged /usr), as procjail's unshare view does.
var rootDirs = []string{"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"}

// bwrapArgs is a bubblewrap command line with isolation comparable to
// procjail's unshare strategy: every namespace, an empty root with the
// system directories read-only, fresh /proc, minimal /dev, private /tmp,
// the work dir read-only, a new session, no capabilities, and death with
// the parent. (procjail also applies seccomp and Landlock; bwrap here does
// not, which only flatters bwrap's figures.)
func bwrapArgs(dir string) ([]string, error) {
	args := []string{"--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--tmpfs", "/"}
	for _, d := range rootDirs {
		fi, err := os.Lstat(d)
		switch {
		case err != nil && os.IsNotExist(err):
			continue
		case err != nil:
			return nil, err
		case fi.Mode()&fs.ModeSymlink != 0:
			to, err := os.Readlink(d)
			if err != nil {
				return nil, err
			}
			args = append(args, "--symlink", to, d)
		case fi.IsDir():
			args = append(args, "--ro-bind", d, d)
		}
	}
	args = append(args, "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
		"--ro-bind", dir, dir, "--chdir", dir, "--", "/bin/sh", "harness.sh")
	return args, nil
}

// bwrapRunner returns the bwrap contender, or why there is none. It runs
// the command once, so a bwrap that cannot work here is left out with the
// reason rather than failing every round.
func bwrapRunner(name, dir string) (runner, string) {
	if name == "" {
		return runner{}, "left out with -bwrap \"\""
	}
	path, err := exec.LookPath(name)
	if err != nil {
		return runner{}, "not installed: " + err.Error()
	}
	args, err := bwrapArgs(dir)
	if err != nil {
		return runner{}, "reading the host's layout: " + err.Error()
	}
	r := runner{name: "bwrap", start: func() (session, error) {
		return startExec(exec.Command(path, args...))
	}}
	if err := tryOnce(r); err != nil {
		return runner{}, fmt.Sprintf("%s %s: %v", path, strings.Join(args, " "), err)
	}
	return r, ""
}

func tryOnce(r runner) error {
	s, err := r.start()
	if err != nil {
		return err
	}
	line, err := s.recv()
	cerr := s.close()
	if err != nil || line != "ready" {
		return fmt.Errorf("first line %q, %v (exit: %v)", line, err, cerr)
	}
	return nil
}

// bwrapCommand is the command line shown in the report, with the work
// dir written <workdir>.
func bwrapCommand(dir string) string {
	args, err := bwrapArgs(dir)
	if err != nil {
		return ""
	}
	return strings.ReplaceAll("bwrap "+strings.Join(args, " "), dir, "<workdir>")
}
