package procjail_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/procjail/procjail"
)

func TestSecretsAbsentFromChildEnv(t *testing.T) {
	secrets := map[string]string{
		"GITHUB_TOKEN": "ghp_0123456789abcdefghijABCDEFGHIJ012345", "MY_API_KEY": "my-api-key-value-123",
		"AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY", "HTTPS_PROXY": "http://user:pw@proxy:3128",
		"LD_PRELOAD": "/tmp/evil.so", "NODE_OPTIONS": "--require /tmp/evil.js", "DB_PASSWORD": "hunter2",
	}
	for k, v := range secrets {
		t.Setenv(k, v)
	}
	t.Setenv("HARMLESS_VAR", "visible")
	forEachStrategy(t, func(t *testing.T, s procjail.Strategy) {
		dir := workDir(t)
		p := spawn(t, script(t, dir, "env; echo END"), dir, shConfig(s))
		var env []string
		for {
			l, err := p.Recv()
			if err != nil || l == "END" {
				break
			}
			env = append(env, l)
		}
		joined := strings.Join(env, "\n")
		for k, v := range secrets {
			if strings.Contains(joined, k+"=") || strings.Contains(joined, v) {
				t.Errorf("%s reached the sandbox", k)
			}
		}
		if !strings.Contains(joined, "HARMLESS_VAR=visible") {
			t.Errorf("an ordinary variable was dropped: %s", joined)
		}
	})
}

func TestCallerEnvironUnreadable(t *testing.T) {
	t.Setenv("PROCJAIL_CANARY_TOKEN", "canary-secret-value")
	forEachStrategy(t, func(t *testing.T, s procjail.Strategy) {
		dir := workDir(t)
		body := fmt.Sprintf("cat /proc/%d/environ /proc/1/environ /proc/$PPID/environ 2>/dev/null | tr '\\0' '\\n'; echo END", os.Getpid())
		p := spawn(t, script(t, dir, body), dir, shConfig(s))
		leaked := false
		for {
			l, err := p.Recv()
			if err != nil || l == "END" {
				break
			}
			leaked = leaked || strings.Contains(l, "canary-secret-value")
		}
		wait(t, p)
		layer, _ := p.Enforced().Layer(procjail.RequireSecretEnv)
		if leaked && layer.Enforced {
			t.Fatalf("the caller's environment was read although %s claims %q", s, layer.How)
		}
	})
}

func TestDaemonizedGrandchildDiesOnKill(t *testing.T) {
	forEachStrategy(t, func(t *testing.T, s procjail.Strategy) {
		dir := workDir(t)
		// The grandchild double-forks away, tries to start its own
		// session and reports its host-visible marker file; it must be
		// gone after Kill.
		body := `( ( setsid sleep 1000 2>/dev/null || sleep 1000 ) & echo $! ) ; echo ready; sleep 1000`
		p := spawn(t, script(t, dir, body), dir, shConfig(s))
		if _, err := p.Recv(); err != nil {
			t.Fatal(err)
		}
		if l, _ := p.Recv(); l != "ready" {
			t.Fatalf("got %q", l)
		}
		var before []int
		for i := 0; i < 200 && len(before) < 2; i++ {
			time.Sleep(10 * time.Millisecond)
			before = sandboxSleeps(t, p)
		}
		if len(before) == 0 {
			t.Fatal("found no sleep process of the sandbox before Kill: the check cannot work")
		}
		p.Kill()
		wait(t, p)
		for _, pid := range before {
			if alive(pid) {
				t.Errorf("pid %d survived Kill", pid)
			}
		}
	})
}

// sandboxSleeps finds the host pids of "sleep 1000" processes that descend
// from the sandbox's supervisor.
func sandboxSleeps(t *testing.T, p *procjail.Process) []int {
	t.Helper()
	var out []int
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		cmd, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if string(cmd) == "sleep\x001000\x00" && descendsFrom(pid, p.Pid()) {
			out = append(out, pid)
		}
	}
	return out
}

func descendsFrom(pid, root int) bool {
	for i := 0; i < 64 && pid > 1; i++ {
		if pid == root {
			return true
		}
		pid = ppid(pid)
	}
	return pid == root
}

func ppid(pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	n, _ := strconv.Atoi(f[1])
	return n
}

func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(b)
	return !strings.HasPrefix(strings.Fields(s[strings.LastIndexByte(s, ')')+1:])[0], "Z")
}

func TestForkBombIsBounded(t *testing.T) {
	forEachStrategy(t, func(t *testing.T, s procjail.Strategy) {
		dir := workDir(t)
		cfg := shConfig(s)
		cfg.MaxProcesses = 16
		cfg.Timeout = 10 * time.Second
		// Fork until fork fails (dash then exits), printing each count.
		body := `n=0; while [ $n -lt 200 ]; do sleep 30 & n=$((n+1)); echo $n; done`
		p := spawn(t, script(t, dir, body), dir, cfg)
		n := 0
		for {
			l, err := p.Recv()
			if err != nil {
				break
			}
			fmt.Sscanf(l, "%d", &n)
		}
		limit := 16
		if s == procjail.Unshare {
			limit += 24 // the supervisor's threads share the count, with headroom
		}
		lay, _ := p.Enforced().Layer(procjail.RequireProcessLimit)
		if !lay.Enforced {
			// Nothing is claimed (a per-user count shared with the caller,
			// or a root payload): report what happened.
			t.Logf("%s: %d forks; no process limit claimed: %s", s, n, lay.How)
		} else if n >= 200 || n > limit {
			t.Fatalf("%s: the payload forked %d processes (limit %d): %s", s, n, limit, lay.How)
		}
		p.Kill()
		wait(t, p)
	})
}

func TestFileDescriptorLimit(t *testing.T) {
	forEachStrategy(t, func(t *testing.T, s procjail.Strategy) {
		dir := workDir(t)
		cfg := shConfig(s)
		cfg.MaxFDs = 16
		// dash can open fds up to 9 by number; use ulimit to read the limit
		// and a loop of exec redirections to hit it.
		p := spawn(t, script(t, dir, `ulimit -n; ulimit -Hn`), dir, cfg)
		soft, _ := p.Recv()
		hard, _ := p.Recv()
		want := "16"
		for _, n := range p.Enforced().Notes {
			// bwrap needs a descriptor per bind: the raise is reported.
			if v, ok := strings.CutPrefix(n, "RLIMIT_NOFILE raised to "); ok {
				want = strings.SplitN(v, ":", 2)[0]
			}
		}
		if soft != want || hard != want {
			t.Fatalf("RLIMIT_NOFILE in the sandbox = %s/%s, want %s/%s (notes %v)", soft, hard, want, want, p.Enforced().Notes)
		}
		wait(t, p)
	})
}

func TestFileSizeLimit(t *testing.T) {
	forEachStrategy(t, func(t *testing.T, s procjail.Strategy) {
		dir := workDir(t)
		cfg := shConfig(s)
		cfg.MaxDiskBytes = 2 << 20
		out := "/tmp"
		if s == procjail.Rlimits {
			out = dir
			cfg.WritableWorkDir = true
			os.Chmod(dir, 0o777)
		}
		body := fmt.Sprintf(`trap '' XFSZ; head -c 5000000 /dev/zero > %s/big; echo "rc=$?"; wc -c < %s/big`, out, out)
		p := spawn(t, script(t, dir, body), dir, cfg)
		rc, _ := p.Recv()
		size, _ := p.Recv()
		wait(t, p)
		n, _ := strconv.Atoi(strings.TrimSpace(size))
		if rc == "rc=0" || n > 2<<20 {
			t.Fatalf("wrote %d bytes past a 2 MiB limit (%s)", n, rc)
		}
	})
}
