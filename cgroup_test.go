package procjail_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/procjail/procjail"
	"github.com/procjail/procjail/internal/testutil"
)

// cgroupLimited runs f for each strategy whose sandboxes get a cgroup
// memory, pids and CPU limit here; where the caller cannot have one, it
// checks instead that requiring it fails closed with the delegation hint.
func cgroupLimited(t *testing.T, f func(t *testing.T, s procjail.Strategy)) {
	forEachStrategy(t, func(t *testing.T, s procjail.Strategy) {
		dir := workDir(t)
		cfg := shConfig(s)
		p := spawn(t, script(t, dir, "true"), dir, cfg)
		wait(t, p)
		mem, _ := p.Enforced().Layer(procjail.RequireMemoryLimit)
		if !mem.Enforced {
			cfg.Require = []procjail.Requirement{procjail.RequireMemoryLimit}
			_, err := procjail.Spawn(filepath.Join(dir, "harness.sh"), dir, cfg)
			if !errors.Is(err, procjail.ErrRequirement) || !strings.Contains(err.Error(), "Delegate") {
				t.Fatalf("require memory-limit without a cgroup: %v, want ErrRequirement with the delegation hint", err)
			}
			testutil.Skip(t, testutil.NotForThisCaller, "cgroup", "no writable cgroup for this caller: "+mem.How)
		}
		f(t, s)
	})
}

func TestMemoryLimitOOM(t *testing.T) {
	py := "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		testutil.Skip(t, testutil.MissingFeature, "python3", "the allocator is a python3 program")
	}
	cgroupLimited(t, func(t *testing.T, s procjail.Strategy) {
		dir := workDir(t)
		cfg := shConfig(s)
		cfg.Runtime, cfg.RuntimeArgs = py, []string{"-c", "a = bytearray(4 << 30); print(len(a))"}
		cfg.MaxMemoryBytes, cfg.Timeout = 256<<20, 60*time.Second
		p := spawn(t, "", dir, cfg)
		u := wait(t, p)
		if u.Reason != procjail.ExitOOM || u.Source != "cgroup" || u.OOMKills == 0 {
			t.Fatalf("4 GiB under 256 MiB ended with %v (source %s, oom kills %d), want reason oom", u, u.Source, u.OOMKills)
		}
		if u.PeakRSS < 200<<20 || u.PeakRSS > 300<<20 {
			t.Fatalf("peak memory %d MiB, want near the 256 MiB limit", u.PeakRSS>>20)
		}
	})
}

func TestWholeTreeCPULimit(t *testing.T) {
	cgroupLimited(t, func(t *testing.T, s procjail.Strategy) {
		dir := workDir(t)
		cfg := shConfig(s)
		cfg.MaxCPUSeconds, cfg.Timeout = 2, 60*time.Second
		// Four busy children: each stays under the per-process limit
		// for a while, the tree does not.
		body := `for i in 1 2 3 4; do (while :; do :; done) & done; wait`
		p := spawn(t, script(t, dir, body), dir, cfg)
		u := wait(t, p)
		if u.Reason != procjail.ExitCPULimit || u.CPU() < 2*time.Second {
			t.Fatalf("4 busy processes ended with %v (cpu %v), want reason cpu-limit after 2 s of whole-tree CPU", u, u.CPU())
		}
	})
}
