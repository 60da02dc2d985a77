package proctree

import (
	"bytes"
	"os"
	"strconv"
	"time"

	"golang.org/x/sys/unix"
)

// Info is what proctree reads of one process.
type Info struct {
	Pid, PPid, Sid int
	UID            int // real uid
}

// List reads every process visible in /proc.
func List() []Info {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	out := make([]Info, 0, len(ents))
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if p, ok := read(pid); ok {
			out = append(out, p)
		}
	}
	return out
}

// read parses /proc/<pid>/stat ("pid (comm) state ppid pgrp session …";
// comm may hold spaces and parentheses, so fields are taken after the last
// ')') and the real uid from /proc/<pid>/status.
func read(pid int) (Info, bool) {
	dir := "/proc/" + strconv.Itoa(pid)
	b, err := os.ReadFile(dir + "/stat")
	if err != nil {
		return Info{}, false
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return Info{}, false
	}
	f := bytes.Fields(b[i+1:])
	if len(f) < 4 {
		return Info{}, false
	}
	p := Info{Pid: pid, UID: -1}
	p.PPid, _ = strconv.Atoi(string(f[1]))
	p.Sid, _ = strconv.Atoi(string(f[3]))
	p.UID = readUID(dir)
	return p, true
}

func readUID(dir string) int {
	b, err := os.ReadFile(dir + "/status")
	if err != nil {
		return -1
	}
	i := bytes.Index(b, []byte("\nUid:"))
	if i < 0 {
		return -1
	}
	f := bytes.Fields(b[i+5:])
	if len(f) == 0 {
		return -1
	}
	uid, err := strconv.Atoi(string(f[0]))
	if err != nil {
		return -1
	}
	return uid
}

// Descendants returns the processes whose parent chain leads to root or
// that are in session sid (sid <= 0: parentage only). root itself is not
// included.
func Descendants(procs []Info, root, sid int) []int {
	in := map[int]bool{root: true}
	for changed := true; changed; {
		changed = false
		for _, p := range procs {
			if !in[p.Pid] && (in[p.PPid] || (sid > 0 && p.Sid == sid)) {
				in[p.Pid], changed = true, true
			}
		}
	}
	delete(in, root)
	out := make([]int, 0, len(in))
	for pid := range in {
		out = append(out, pid)
	}
	return out
}

// KillUntilGone SIGKILLs every process match selects, again and again, until
// a pass finds none or rounds passes are done (a fork bomb racing the sweep
// is bounded by its process limit, so the passes converge). It returns the
// number of processes still matching at the end.
func KillUntilGone(match func(Info) bool, rounds int) int {
	for r := 0; r < rounds; r++ {
		n := 0
		for _, p := range List() {
			if match(p) {
				_ = unix.Kill(p.Pid, unix.SIGKILL)
				n++
			}
		}
		if n == 0 {
			return 0
		}
		time.Sleep(time.Millisecond << min(r, 6))
	}
	n := 0
	for _, p := range List() {
		if match(p) {
			n++
		}
	}
	return n
}
