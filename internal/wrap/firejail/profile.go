package firejail

import (
	"fmt"
	"slices"
	"strings"
)

// view writes the filesystem half of the profile: firejail's private
// home, tmp, dev and etc, the plan's host paths, and the host's other
// top-level entries emptied or blacklisted.
func (b *builder) view() error {
	etc, paths, err := viewOf(b.in.Plan)
	if err != nil {
		return err
	}
	if err := checkViewWords(etc, paths); err != nil {
		return err
	}
	b.private(paths, etc)
	for _, p := range paths {
		b.add("whitelist " + p.path)
		if p.readOnly {
			b.add("read-only " + p.path)
		}
	}
	b.hostRoot(paths)
	return nil
}

// private: an empty home, unless the view shows something inside the home
// (firejail's private would hide it; whitelisting it alone already
// replaces the home with a tmpfs holding only that), a private /tmp, a
// minimal /dev and an /etc holding only what the plan shows.
func (b *builder) private(paths []shown, etc []string) {
	if !anyUnder(paths, b.in.Home) {
		b.add("private")
	}
	if len(etc) == 0 {
		etc = []string{"hostname"} // an empty list would leave the host's /etc
	}
	b.add("private-tmp", "private-dev", "private-etc "+strings.Join(sorted(etc), ","))
	if b.in.Dir == "" {
		b.add("private-cwd")
	} else {
		b.add("private-cwd " + b.in.Dir)
	}
}

// hostRoot handles every top-level entry of the host that nothing else
// covers: system directories are made read-only, other directories are
// emptied, /sys and files are blacklisted, symlinks are left to the
// entries they point into.
func (b *builder) hostRoot(paths []shown) {
	root := slices.Clone(b.in.Root)
	slices.SortFunc(root, func(x, y RootEntry) int { return strings.Compare(x.Name, y.Name) })
	for _, e := range root {
		if line := b.rootLine(e, paths); line != "" {
			b.add(line)
		}
	}
}

func (b *builder) rootLine(e RootEntry, paths []shown) string {
	p := "/" + e.Name
	switch {
	case slices.Contains(systemDirs, e.Name):
		if e.Kind == Dir {
			return "read-only " + p
		}
		return ""
	case slices.Contains(managedDirs, e.Name):
		return ""
	case e.Name == "sys":
		return "blacklist " + p
	case e.Kind == Dir && (anyUnder(paths, p) || p == b.in.Home || p == "/home"):
		return "" // a whitelist or private replaces it with a tmpfs
	case e.Kind == Dir:
		return "whitelist " + p + "/" + emptyName
	case e.Kind == Symlink:
		// What it points to lies in another top-level entry, which has
		// its own line; blacklisting the link would blacklist its target,
		// which may hold a path the view shows.
		return ""
	}
	return "blacklist " + p
}

func anyUnder(paths []shown, dir string) bool {
	for _, p := range paths {
		if under(p.path, dir) {
			return true
		}
	}
	return false
}

func under(p, dir string) bool {
	return p == dir || strings.HasPrefix(p, dir+"/")
}

// checkViewWords checks every name going into the profile: private-etc's
// list is comma-separated, and no line may carry a newline, a pattern or
// a macro.
func checkViewWords(etc []string, paths []shown) error {
	for _, name := range etc {
		if strings.Contains(name, ",") {
			return inputErr("Plan", fmt.Sprintf("/etc/%s: a comma would split private-etc's list", name), "")
		}
		if err := checkProfileWord("Plan", "/etc/"+name); err != nil {
			return err
		}
	}
	for _, p := range paths {
		if err := checkProfileWord("Plan", p.path); err != nil {
			return err
		}
	}
	return nil
}
