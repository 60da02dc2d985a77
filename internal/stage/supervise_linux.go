package stage

import (
	"encoding/json"
	"errors"
	"os"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/procjail/procjail/internal/proctree"
)

type reaped struct {
	pid    int
	status syscall.WaitStatus
}

// supervise reaps every descendant until none is left. When the payload
// exits, or the parent asks (Kill) or dies (EOF), the rest of the tree is
// killed. It reports the payload's status and the tree's usage, and returns
// the stage's exit code.
func (s *stage) supervise(payload int, dec *json.Decoder) int {
	releaseStdio()
	ctl := make(chan string, 1)
	go readControl(dec, ctl)
	reap := make(chan reaped)
	go reapAll(reap)
	var status syscall.WaitStatus
	exit := Msg{Type: MsgExit}
	killing := false
	for {
		select {
		case r, ok := <-reap:
			if !ok {
				return s.finish(exit, status)
			}
			if r.pid == payload {
				status = r.status
				exit.ExitedAt = time.Now().UnixNano()
				exit.Orphans = s.countTree()
				killing = true
			}
		case m := <-ctl:
			if m == MsgKill || m == "eof" {
				exit.Killed = exit.Killed || exit.ExitedAt == 0
				killing = true
			}
		}
		if killing {
			s.killTree()
		}
	}
}

func (s *stage) finish(exit Msg, status syscall.WaitStatus) int {
	var ru unix.Rusage
	_ = unix.Getrusage(unix.RUSAGE_CHILDREN, &ru)
	exit.Status = int(status)
	exit.UtimeNs = ru.Utime.Nano()
	exit.StimeNs = ru.Stime.Nano()
	exit.MaxRSS = ru.Maxrss * 1024
	s.send(exit)
	switch {
	case status.Exited():
		return status.ExitStatus()
	case status.Signaled():
		return 128 + int(status.Signal())
	}
	return 125
}

func readControl(dec *json.Decoder, out chan<- string) {
	for {
		var m Msg
		if err := dec.Decode(&m); err != nil {
			out <- "eof"
			return
		}
		out <- m.Type
	}
}

// reapAll waits for every child (and, as PID 1 or subreaper, every orphan)
// and closes out once none is left.
func reapAll(out chan<- reaped) {
	defer close(out)
	for {
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &ws, 0, nil)
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if err != nil {
			return
		}
		out <- reaped{pid, ws}
	}
}

// releaseStdio points our own 0-2 at /dev/null so that the payload's pipes
// reach EOF as soon as the payload's tree is gone.
func releaseStdio() {
	fd, err := unix.Open("/dev/null", unix.O_RDWR|unix.O_CLOEXEC, 0)
	if err != nil {
		return
	}
	for i := 0; i < 3; i++ {
		_ = unix.Dup3(fd, i, 0)
	}
	_ = unix.Close(fd)
}

// countTree counts the descendants still alive.
func (s *stage) countTree() int { return len(s.tree()) }

// tree lists our descendants: as PID 1 of a pid namespace, every other
// process; as a subreaper, those whose parent chain leads to us or that are
// in our session (the filter denies setsid, so they cannot leave it).
func (s *stage) tree() []int {
	self := os.Getpid()
	procs := proctree.List()
	if s.spec.Kind == KindUnshare {
		out := make([]int, 0, len(procs))
		for _, p := range procs {
			if p.Pid != self {
				out = append(out, p.Pid)
			}
		}
		return out
	}
	return proctree.Descendants(procs, self, self)
}

// killTree SIGKILLs every descendant. As PID 1 of a pid namespace one
// kill(-1) reaches them all; as a subreaper we sweep by session and by
// parentage, and the caller repeats the sweep after each reap until no
// child is left.
func (s *stage) killTree() {
	if s.spec.Kind == KindUnshare {
		_ = unix.Kill(-1, unix.SIGKILL)
		return
	}
	for _, pid := range s.tree() {
		_ = unix.Kill(pid, unix.SIGKILL)
	}
}
