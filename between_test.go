package procjail_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/procjail/procjail"
	"github.com/procjail/procjail/internal/testutil"
)

const peerA = `import os, socket, sys, time
open("/dev/shm/peer-marker", "w").write("a")
s = socket.socket(socket.AF_UNIX); s.bind("\0procjail-peer-test"); s.listen(1)
print(os.getpid(), flush=True)
time.sleep(1000)
`

const peerB = `import os, socket, sys
res = []
res.append("shm=" + str(os.path.exists("/dev/shm/peer-marker")))
try:
    s = socket.socket(socket.AF_UNIX); s.settimeout(2); s.connect("\0procjail-peer-test"); res.append("abstract=connected")
except OSError:
    res.append("abstract=refused")
pids = [p for p in os.listdir("/proc") if p.isdigit()]
res.append("pids=%d" % len(pids))
res.append("host=" + socket.gethostname())
print(" ".join(res), flush=True)
`

// TestSandboxesAreIsolatedFromEachOther runs two Unshare sandboxes at once:
// the second must not see the first's /dev/shm, abstract socket or
// processes.
func TestSandboxesAreIsolatedFromEachOther(t *testing.T) {
	if !procjail.ProbeCapabilities().Strategies["unshare"].Available {
		testutil.Skip(t, testutil.MissingFeature, "unshare", "needs user namespaces")
	}
	py := "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		testutil.Skip(t, testutil.MissingFeature, "python3", "the peers are python programs")
	}
	cfg := procjail.DefaultConfig()
	cfg.Runtime, cfg.Strategy, cfg.CaptureStderr = py, procjail.Unshare, true
	dir := workDir(t)
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		must(t, os.WriteFile(p, []byte(body), 0o644))
		return p
	}
	a := spawn(t, write("a.py", peerA), dir, cfg)
	if _, err := a.Recv(); err != nil {
		t.Fatalf("peer A: %v %s", err, a.Stderr())
	}
	b := spawn(t, write("b.py", peerB), dir, cfg)
	got, err := b.Recv()
	if err != nil {
		t.Fatalf("peer B: %v %s", err, b.Stderr())
	}
	for _, want := range []string{"shm=False", "abstract=refused", "pids=2", "host=procjail"} {
		if !strings.Contains(got, want) {
			t.Errorf("peer B saw %q, want %q", got, want)
		}
	}
}
