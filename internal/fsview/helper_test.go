//go:build linux

package fsview

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/procjail/procjail/internal/testutil"
)

// The real tests re-run this test binary as a child (the way os/exec's
// tests do): FSVIEW_TEST_CHILD names the child function, FSVIEW_TEST_ARGS
// carries its childArgs as JSON. A child prints one line per check ("ok
// NAME" or "FAIL NAME: why") and "DONE" at the end; the parent turns FAIL
// lines into test errors and insists on DONE, so a child that dies early
// cannot pass.
const (
	childEnv = "FSVIEW_TEST_CHILD"
	argsEnv  = "FSVIEW_TEST_ARGS"
)

// childArgs is everything a child needs.
type childArgs struct {
	Plan     *Plan     `json:"plan,omitempty"`
	Req      Request   `json:"req"`
	Programs []program `json:"programs,omitempty"`
	Paths    map[string]string
}

// program is a command a child runs inside the view, with the output it
// must print.
type program struct {
	Argv []string `json:"argv"`
	Want string   `json:"want"` // substring of the combined output
}

var children = map[string]func(childArgs, *checker){}

// init keeps a child's main goroutine on the main thread (the thread
// group leader), so the thread a child restricts with Landlock is never
// the leader: signal scoping is about the target's leader.
func init() {
	if os.Getenv(childEnv) != "" {
		runtime.LockOSThread()
	}
}

func TestMain(m *testing.M) {
	if name := os.Getenv(childEnv); name != "" {
		os.Exit(runChildMain(name))
	}
	os.Exit(m.Run())
}

func runChildMain(name string) int {
	var args childArgs
	if err := json.Unmarshal([]byte(os.Getenv(argsEnv)), &args); err != nil {
		fmt.Printf("FAIL args: %v\n", err)
		return 2
	}
	fn := children[name]
	if fn == nil {
		fmt.Printf("FAIL unknown child %q\n", name)
		return 2
	}
	c := &checker{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(args, c)
	}()
	<-done
	fmt.Println("DONE")
	return 0
}

// checker records a child's checks on stdout.
type checker struct{}

func (c *checker) check(name string, err error) {
	if err != nil {
		fmt.Printf("FAIL %s: %s\n", name, strings.ReplaceAll(err.Error(), "\n", " | "))
		return
	}
	fmt.Printf("ok %s\n", name)
}

// fatal reports a failure after which the child cannot go on.
func (c *checker) fatal(name string, err error) {
	c.check(name, err)
	fmt.Println("DONE")
	os.Exit(0)
}

// nsAttr clones a child into new user, mount and pid namespaces, mapping
// its uid/gid 0 to ours: it holds every capability over its own
// namespaces and none over the host.
func nsAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{
		Cloneflags:  syscall.CLONE_NEWUSER | syscall.CLONE_NEWNS | syscall.CLONE_NEWPID,
		UidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getuid(), Size: 1}},
		GidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getgid(), Size: 1}},
		Pdeathsig:   syscall.SIGKILL,
	}
}

// runChild runs child name with args (in namespaces when attr is set) and
// returns its check lines. Start failures caused by a host without user
// namespaces skip the test.
func runChild(t *testing.T, name string, args childArgs, attr *syscall.SysProcAttr) []string {
	t.Helper()
	data, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = []string{childEnv + "=" + name, argsEnv + "=" + string(data), "PATH=/usr/bin:/bin"}
	cmd.SysProcAttr = attr
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		if attr != nil && attr.Cloneflags&syscall.CLONE_NEWUSER != 0 {
			testutil.Skip(t, testutil.MissingFeature, "userns", "cannot create a user namespace: "+err.Error())
		}
		t.Fatalf("start child: %v", err)
	}
	err = cmd.Wait()
	lines := childLines(t, stdout.String())
	if err != nil || len(lines) == 0 || lines[len(lines)-1] != "DONE" {
		t.Fatalf("child %s: %v\nstdout:\n%s\nstderr:\n%s", name, err, stdout.String(), stderr.String())
	}
	return lines
}

// childLines returns the child's protocol lines and reports its FAILs.
func childLines(t *testing.T, out string) []string {
	t.Helper()
	var lines []string
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "FAIL "):
			t.Error(line)
		case strings.HasPrefix(line, "ok "), line == "DONE":
		default:
			continue
		}
		lines = append(lines, line)
	}
	return lines
}

// requireChecks fails unless every named check reported ok.
func requireChecks(t *testing.T, lines []string, names ...string) {
	t.Helper()
	have := map[string]bool{}
	for _, l := range lines {
		have[strings.TrimPrefix(l, "ok ")] = true
	}
	for _, n := range names {
		if !have[n] {
			t.Errorf("check %q did not pass", n)
		}
	}
}
