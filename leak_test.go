package procjail_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/procjail/procjail"
	"github.com/procjail/procjail/internal/testutil"
)

// TestNoLeaksAfterManyCycles spawns and ends 200 sandboxes — a third exit
// by themselves, a third are killed, a third time out — and then checks
// that no process, zombie or file descriptor is left behind.
func TestNoLeaksAfterManyCycles(t *testing.T) {
	testutil.SkipIfShort(t)
	forEachStrategy(t, func(t *testing.T, s procjail.Strategy) {
		dir := workDir(t)
		h := script(t, dir, `read -r l; (sleep 1000 &) ; echo "$l"; sleep 1000`)
		fdsBefore := openFDs(t)
		seen := map[int]bool{}
		for i := 0; i < 200; i++ {
			cfg := shConfig(s)
			if i%3 == 2 {
				cfg.Timeout = 20 * time.Millisecond
			}
			p := spawn(t, h, dir, cfg)
			seen[p.Pid()] = true
			if mem, _ := p.Enforced().Layer(procjail.RequireMemoryLimit); i == 0 && mem.Enforced && len(ourCgroups()) == 0 {
				t.Fatal("a sandbox with a cgroup limit runs, but its cgroup is not found: the leftover check cannot work")
			}
			switch i % 3 {
			case 0:
				p.CloseStdin()
				p.Kill()
			case 1:
				p.Send("x")
				p.Recv()
				p.Kill()
			}
			u, err := p.Wait()
			if err != nil || u.Reason == procjail.ExitLost {
				t.Fatalf("cycle %d: %v %v", i, u, err)
			}
			p.Close()
		}
		// The pool's ready stage is a child of ours by design: end it for
		// the count, then let the pool refill for the next tests.
		procjail.SetWarmStages(0)
		defer procjail.SetWarmStages(2)
		time.Sleep(50 * time.Millisecond)
		if after := openFDs(t); len(after) > len(fdsBefore) {
			t.Errorf("fds before %d, after %d: %v", len(fdsBefore), len(after), after)
		}
		for pid := range seen {
			if _, err := os.Stat("/proc/" + itoa(pid)); err == nil && descendsFrom(pid, os.Getpid()) {
				t.Errorf("supervisor %d is still there (zombie or alive)", pid)
			}
		}
		if n := childrenOf(os.Getpid()); n > 0 {
			t.Errorf("%d children of the test process remain", n)
		}
		if left := ourCgroups(); len(left) > 0 {
			t.Errorf("cgroups left behind: %v", left)
		}
	})
}

func openFDs(t *testing.T) []string {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		l, _ := os.Readlink("/proc/self/fd/" + e.Name())
		out = append(out, e.Name()+"->"+l)
	}
	return out
}

func childrenOf(pid int) int {
	n := 0
	tasks, _ := os.ReadDir("/proc/self/task")
	for _, task := range tasks {
		b, _ := os.ReadFile("/proc/self/task/" + task.Name() + "/children")
		n += len(strings.Fields(string(b)))
	}
	return n
}

func itoa(n int) string { return strconv.Itoa(n) }

// ourCgroups lists the sandbox cgroups this process created that still
// exist (their names carry the creating pid).
func ourCgroups() []string {
	var out []string
	mark := "-" + strconv.Itoa(os.Getpid()) + "-"
	filepath.WalkDir("/sys/fs/cgroup", func(p string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		if strings.HasPrefix(d.Name(), "pj-") && strings.Contains(d.Name(), mark) {
			out = append(out, p)
			return filepath.SkipDir
		}
		return nil
	})
	return out
}
