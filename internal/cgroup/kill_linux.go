package cgroup

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// killWait bounds how long Kill works at emptying a group.
const killWait = 10 * time.Second

// Kill SIGKILLs every process in the group and returns once the group is
// empty. On cgroup v2 it writes cgroup.kill, which the kernel applies to
// the whole tree at once, forks in flight included. Otherwise (v1, or v2
// before Linux 5.14) it freezes the group (freezer.state or
// cgroup.freeze), SIGKILLs each member through a pidfd, thaws it, and
// repeats until the group is empty. Killed processes become zombies until
// their parent reaps them; they no longer count as members.
func (g *Group) Kill() error {
	deadline := time.Now().Add(killWait)
	if g.v2 != "" {
		err := g.fs.write(filepath.Join(g.v2, "cgroup.kill"), "1")
		switch {
		case err == nil:
			waitUnpopulated(filepath.Join(g.v2, "cgroup.events"), deadline)
		case !errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("cgroup: killing group %s: %w", g.leaf, err)
		}
	}
	return g.killLoop(deadline)
}

// killLoop kills members one by one until none is left.
func (g *Group) killLoop(deadline time.Time) error {
	for {
		pids, err := g.procs()
		if err != nil || len(pids) == 0 {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("cgroup: killing group %s: %d processes remain after %s: %v", g.leaf, len(pids), killWait, pids)
		}
		thaw := g.freeze(deadline)
		g.signalMembers(pids)
		thaw()
		g.waitEmpty(soonest(time.Now().Add(100*time.Millisecond), deadline))
	}
}

// procs lists the members of every part of the group.
func (g *Group) procs() ([]int, error) {
	seen := map[int]bool{}
	var out []int
	for _, dir := range g.Dirs() {
		b, err := os.ReadFile(filepath.Join(dir, "cgroup.procs"))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("cgroup: listing group %s: %w", g.leaf, err)
		}
		for _, pid := range parsePids(b) {
			if !seen[pid] {
				seen[pid] = true
				out = append(out, pid)
			}
		}
	}
	return out, nil
}

// signalMembers SIGKILLs the listed processes that are still members.
// Each pid is pinned with a pidfd first, then the member list is read
// again: a pid still listed then belongs to the pinned process, or the
// pinned one is dead and the signal goes nowhere. A reused pid is never
// signalled.
func (g *Group) signalMembers(pids []int) {
	fds := map[int]int{}
	for _, pid := range pids {
		if fd, err := unix.PidfdOpen(pid, 0); err == nil {
			fds[pid] = fd
		}
	}
	still, _ := g.procs()
	for _, pid := range still {
		if fd, ok := fds[pid]; ok {
			unix.PidfdSendSignal(fd, unix.SIGKILL, nil, 0)
		}
	}
	for _, fd := range fds {
		unix.Close(fd)
	}
}

// freeze freezes the group, if it can, so that members can neither fork
// nor exit while they are listed and signalled, and returns the function
// that thaws it. SIGKILL takes effect at the thaw.
func (g *Group) freeze(deadline time.Time) (thaw func()) {
	file, on, off, frozen := g.freezer()
	if file == "" || g.fs.write(file, on) != nil {
		return func() {}
	}
	waitFrozen(frozen, soonest(time.Now().Add(time.Second), deadline))
	return func() { g.fs.write(file, off) }
}

// freezer names the freezing file, its values, and a function telling
// whether the group is frozen: cgroup v2's cgroup.freeze, or the v1
// freezer.
func (g *Group) freezer() (file, on, off string, frozen func() bool) {
	if g.v2 != "" {
		events := filepath.Join(g.v2, "cgroup.events")
		return filepath.Join(g.v2, "cgroup.freeze"), "1", "0", func() bool { return keyedIs(events, "frozen", 1) }
	}
	if dir, ok := g.v1With("freezer"); ok {
		state := filepath.Join(dir, "freezer.state")
		return state, "FROZEN", "THAWED", func() bool {
			b, err := os.ReadFile(state)
			return err != nil || strings.TrimSpace(string(b)) == "FROZEN"
		}
	}
	return "", "", "", nil
}

func waitFrozen(frozen func() bool, deadline time.Time) {
	for delay := time.Millisecond; !frozen() && time.Now().Before(deadline); delay = min(2*delay, 20*time.Millisecond) {
		time.Sleep(delay)
	}
}

// waitEmpty waits until the group has no members, or the deadline.
func (g *Group) waitEmpty(deadline time.Time) {
	if g.v2 != "" {
		waitUnpopulated(filepath.Join(g.v2, "cgroup.events"), deadline)
	}
	for delay := time.Millisecond; time.Now().Before(deadline); delay = min(2*delay, 20*time.Millisecond) {
		if pids, err := g.procs(); err != nil || len(pids) == 0 {
			return
		}
		time.Sleep(delay)
	}
}

// waitUnpopulated waits until cgroup.events says "populated 0", sleeping
// in poll(2): the kernel signals POLLPRI when the file changes.
func waitUnpopulated(events string, deadline time.Time) {
	fd, err := unix.Open(events, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return
	}
	defer unix.Close(fd)
	buf := make([]byte, 512)
	for {
		n, err := unix.Pread(fd, buf, 0)
		if err != nil || !populated(buf[:n]) {
			return
		}
		left := time.Until(deadline)
		if left <= 0 {
			return
		}
		pfd := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLPRI}}
		unix.Poll(pfd, int(min(left, 100*time.Millisecond)/time.Millisecond)+1)
	}
}

// populated reads cgroup.events; a file without the key counts as empty.
func populated(events []byte) bool { return parseKeyed(events)["populated"] != 0 }

func soonest(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// keyedIs reports whether a flat keyed file has key set to v.
func keyedIs(file, key string, v uint64) bool {
	m, err := readKeyed(file)
	if err != nil {
		return false
	}
	got, ok := m[key]
	return ok && got == v
}
