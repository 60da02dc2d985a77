package procjail_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/procjail/procjail"
)

const helperEnv = "PROCJAIL_TEST_HELPER_STRATEGY"

// helperSpawnAndHang runs in a re-executed test binary: it spawns a
// sandbox whose payload sleeps, prints the supervisor's pid, and waits to
// be killed.
func helperSpawnAndHang() {
	s, err := procjail.ParseStrategy(os.Getenv(helperEnv))
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(2)
	}
	cfg := shConfig(s)
	cfg.Timeout = 0
	dir := os.Getenv("PROCJAIL_TEST_HELPER_DIR")
	p, err := procjail.Spawn(dir+"/harness.sh", dir, cfg)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(2)
	}
	if _, err := p.Recv(); err != nil {
		fmt.Println("error:", err)
		os.Exit(2)
	}
	fmt.Println(p.Pid())
	select {}
}

// TestCallerDeathKillsSandbox kills (SIGKILL) a process that has a sandbox
// running: the whole sandboxed tree must die with it.
func TestCallerDeathKillsSandbox(t *testing.T) {
	forEachStrategy(t, func(t *testing.T, s procjail.Strategy) {
		dir := workDir(t)
		script(t, dir, "(sleep 1000 &); echo up; exec sleep 1000")
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), helperEnv+"="+s.String(), "PROCJAIL_TEST_HELPER_DIR="+dir)
		out, err := cmd.StdoutPipe()
		must(t, err)
		must(t, cmd.Start())
		defer cmd.Process.Kill()
		line, err := bufio.NewReader(out).ReadString('\n')
		stagePid, convErr := strconv.Atoi(line[:max(len(line)-1, 0)])
		if err != nil || convErr != nil {
			t.Fatalf("helper said %q (%v)", line, err)
		}
		var sleeps []int
		for i := 0; i < 200 && len(sleeps) < 2; i++ {
			sleeps = sleepsUnder(stagePid)
			time.Sleep(5 * time.Millisecond)
		}
		if len(sleeps) < 2 {
			t.Fatalf("found %d payload processes under supervisor %d: the check cannot work", len(sleeps), stagePid)
		}
		cmd.Process.Kill()
		cmd.Wait()
		deadline := time.Now().Add(10 * time.Second)
		for _, pid := range append(sleeps, stagePid) {
			for alive(pid) && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			if alive(pid) {
				t.Errorf("%s: pid %d outlived the caller", s, pid)
			}
		}
	})
}

// sleepsUnder lists "sleep 1000" processes descending from root.
func sleepsUnder(root int) []int {
	var out []int
	for _, pid := range processesRunning("sleep\x001000") {
		if descendsFrom(pid, root) {
			out = append(out, pid)
		}
	}
	return out
}
