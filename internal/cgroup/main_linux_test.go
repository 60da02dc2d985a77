package cgroup

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/procjail/procjail/internal/testutil"
	"golang.org/x/sys/unix"
)

// childEnv selects a helper mode when the test binary runs as a child.
const childEnv = "PROCJAIL_CGROUP_TEST_CHILD"

func TestMain(m *testing.M) {
	if mode := os.Getenv(childEnv); mode != "" {
		os.Exit(childMain(mode))
	}
	testutil.Main(m)
}

// childMain runs a helper child. Every mode first blocks on fd 3 until the
// parent has put it in its group, so nothing it does escapes the group.
func childMain(mode string) int {
	if mode == "alloc" {
		// Outer bound, whatever the cgroup does: 8 GiB of address space
		// beyond what the runtime has mapped now.
		lim := vmSize() + 8<<30
		unix.Setrlimit(unix.RLIMIT_AS, &unix.Rlimit{Cur: lim, Max: lim})
	}
	goPipe := os.NewFile(3, "go")
	if _, err := goPipe.Read(make([]byte, 1)); err != nil {
		return 3
	}
	switch mode {
	case "sh":
		syscall.Exec("/bin/sh", []string{"sh", "-c", os.Getenv("CGROUP_TEST_SCRIPT")}, os.Environ())
		return 4
	case "alloc":
		// A slice over an anonymous mapping, not the Go heap, so that the
		// race detector's shadow memory stays out of the figures.
		b, err := unix.Mmap(-1, 0, 4<<30, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
		if err != nil {
			fmt.Println("mmap:", err)
			return 5
		}
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		fmt.Println("survived")
	}
	return 0
}

func vmSize() uint64 {
	b, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmSize:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// child is a helper child of the test, waiting to be released.
type child struct {
	cmd    *exec.Cmd
	goW    *os.File
	out    bytes.Buffer
	waited chan struct{}
	err    error
}

// startChild starts a helper child; attr may place it with
// CLONE_INTO_CGROUP. The child is killed and reaped at cleanup.
func startChild(t *testing.T, mode, script string, attr *syscall.SysProcAttr) *child {
	t.Helper()
	r, w, err := os.Pipe()
	must(t, err)
	c := &child{goW: w, waited: make(chan struct{})}
	c.cmd = exec.Command(os.Args[0])
	c.cmd.Env = append(os.Environ(), childEnv+"="+mode, "CGROUP_TEST_SCRIPT="+script)
	c.cmd.ExtraFiles = []*os.File{r}
	c.cmd.Stdout, c.cmd.Stderr = &c.out, &c.out
	c.cmd.SysProcAttr = attr
	c.cmd.WaitDelay = time.Second // grandchildren holding the output pipe must not hang Wait
	err = c.cmd.Start()
	r.Close()
	must(t, err)
	go func() { c.err = c.cmd.Wait(); close(c.waited) }()
	t.Cleanup(func() {
		c.cmd.Process.Kill()
		<-c.waited
		w.Close()
	})
	return c
}

func (c *child) pid() int { return c.cmd.Process.Pid }

// release lets the child go on.
func (c *child) release(t *testing.T) {
	t.Helper()
	_, err := c.goW.Write([]byte{1})
	must(t, err)
}

// wait waits for the child to exit, at most d; past that it kills it and
// fails the test.
func (c *child) wait(t *testing.T, d time.Duration) error {
	t.Helper()
	select {
	case <-c.waited:
		return c.err
	case <-time.After(d):
		c.cmd.Process.Kill()
		<-c.waited
		t.Fatalf("child %d did not exit within %s (killed); output: %s", c.pid(), d, c.out.String())
		return nil
	}
}

// until polls cond every 20 ms until it holds, failing the test after d.
func until(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, d)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
