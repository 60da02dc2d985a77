package procjail_test

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/procjail/procjail"
	"github.com/procjail/procjail/internal/testutil"
)

// attackLayer maps each attack in testdata/attacks.py to the layer whose
// enforcement must stop it ("" = every strategy must stop it).
var attackLayer = map[string]procjail.Requirement{
	"read-host-secret-file":            procjail.RequireFilesystem,
	"read-etc-shadow":                  "",
	"read-outside-workdir-via-symlink": procjail.RequireFilesystem,
	"hardlink-out-of-view":             procjail.RequireFilesystem,
	"write-outside-workdir":            procjail.RequireFilesystem,
	"write-workdir-readonly":           procjail.RequireFilesystem,
	"read-caller-environ":              procjail.RequireSecretEnv,
	"see-host-process":                 procjail.RequirePID,
	"signal-host-process":              procjail.RequirePID,
	"connect-host-loopback-tcp":        procjail.RequireNetwork,
	"connect-host-unix-socket":         procjail.RequireFilesystem,
	"connect-host-abstract-socket":     procjail.RequireNetwork,
	"connect-internet":                 procjail.RequireNetwork,
	"ptrace-parent":                    procjail.RequireSeccomp,
	"mount-tmpfs":                      procjail.RequireUnprivileged,
	"remount-usr-rw":                   procjail.RequireUnprivileged,
	"nested-user-namespace":            procjail.RequireSeccomp,
	"tiocsti":                          procjail.RequireSeccomp,
	"io-uring-setup":                   procjail.RequireSeccomp,
	"keyring-read":                     procjail.RequireSeccomp,
	"write-proc-sys":                   procjail.RequireUnprivileged,
	"write-sys":                        procjail.RequireUnprivileged,
	"mknod-device":                     procjail.RequireUnprivileged,
	"inherited-fd":                     "",
	"setuid-binary":                    procjail.RequireUnprivileged,
	"kill-supervisor":                  procjail.RequirePID,
	"read-supervisor-proc":             procjail.RequirePID,
	"daemon-outlives-payload":          procjail.RequireTreeKill,
}

//go:embed testdata/attacks.py
var attacksPy []byte

// hostBait is what the host prepares for the attacks.
type hostBait struct {
	SecretFile      string `json:"secret_file"`
	WorkDir         string `json:"work_dir"`
	WritableHostDir string `json:"writable_host_dir"`
	CallerPid       int    `json:"caller_pid"`
	VictimPid       int    `json:"victim_pid"`
	TCPPort         int    `json:"tcp_port"`
	UnixSocket      string `json:"unix_socket"`
	AbstractSocket  string `json:"abstract_socket"`
	SuidBinary      string `json:"suid_binary,omitempty"`
	victim          *exec.Cmd
}

func TestAttacks(t *testing.T) {
	python := "/usr/bin/python3"
	if _, err := os.Stat(python); err != nil {
		testutil.Skip(t, testutil.MissingFeature, "python3", "the attack payload is a python3 program")
	}
	t.Setenv("PROCJAIL_ATTACK_CANARY", "1")
	table := map[string]map[string]string{}
	if out := os.Getenv("PROCJAIL_ATTACK_TABLE"); out != "" {
		t.Cleanup(func() { writeAttackTable(t, out, table) })
	}
	forEachStrategy(t, func(t *testing.T, s procjail.Strategy) {
		bait := prepareBait(t)
		cfg := procjail.DefaultConfig()
		cfg.Runtime, cfg.Strategy, cfg.CaptureStderr, cfg.Timeout = python, s, true, 60*time.Second
		cfg.MaxProcesses = 64
		if bait.SuidBinary != "" {
			cfg.ReadOnlyMounts = []procjail.Mount{{Host: bait.SuidBinary}}
		}
		harness := filepath.Join(bait.WorkDir, "attacks.py")
		blob, _ := json.Marshal(bait)
		p := spawnArgs(t, cfg, harness, bait.WorkDir, string(blob))
		results := readResults(t, p)
		u := wait(t, p)
		enf := p.Enforced()
		checkVerdicts(t, s, enf, results)
		checkHostSide(t, s, enf, bait, u, harness)
		table[s.String()] = cells(results, enf)
	})
}

// spawnArgs runs the harness with one extra argument: Spawn puts the
// harness last, so the argument goes through a tiny wrapper script.
func spawnArgs(t *testing.T, cfg procjail.Config, harness, dir, arg string) *procjail.Process {
	t.Helper()
	wrapper := filepath.Join(dir, "run.py")
	code := fmt.Sprintf("import sys, runpy\nsys.argv = [%q, %q]\nrunpy.run_path(%q, run_name='__main__')\n", harness, arg, harness)
	if err := os.WriteFile(wrapper, []byte(code), 0o644); err != nil {
		t.Fatal(err)
	}
	return spawn(t, wrapper, dir, cfg)
}

func readResults(t *testing.T, p *procjail.Process) map[string]string {
	t.Helper()
	out := map[string]string{}
	for {
		l, err := p.RecvTimeout(30 * time.Second)
		if err != nil || l == "END" {
			break
		}
		f := strings.SplitN(l, " ", 3)
		if len(f) >= 2 {
			out[f[0]] = strings.Join(f[1:], " ")
		}
	}
	if len(out) != len(attackLayer) {
		t.Fatalf("got %d attack results, want %d: %v\nstderr: %s", len(out), len(attackLayer), out, p.Stderr())
	}
	return out
}

func checkVerdicts(t *testing.T, s procjail.Strategy, enf procjail.Enforcement, results map[string]string) {
	t.Helper()
	for name, layer := range attackLayer {
		res := results[name]
		claimed := layer == ""
		if l, ok := enf.Layer(layer); ok && l.Enforced {
			claimed = true
		}
		t.Logf("%-34s %-10s layer=%-13s claimed=%v", name, strings.Fields(res + " ?")[0], layer, claimed)
		if claimed && !strings.HasPrefix(res, "BLOCKED") && !strings.HasPrefix(res, "HOSTCHECK") {
			t.Errorf("%s: %s succeeded although %q is reported enforced: %s", s, name, layer, res)
		}
	}
}

func checkHostSide(t *testing.T, s procjail.Strategy, enf procjail.Enforcement, b *hostBait, u procjail.Usage, harness string) {
	t.Helper()
	if l, _ := enf.Layer(procjail.RequireFilesystem); l.Enforced {
		if _, err := os.Stat(filepath.Join(b.WritableHostDir, "pwned")); err == nil {
			t.Errorf("%s: a file was written outside the sandbox", s)
		}
	}
	if l, _ := enf.Layer(procjail.RequirePID); l.Enforced {
		if b.victim.ProcessState != nil || syscall.Kill(b.victim.Process.Pid, 0) != nil {
			t.Errorf("%s: the host victim process was killed", s)
		}
		if u.Reason == procjail.ExitLost {
			t.Errorf("%s: the supervisor was killed from inside: %v", s, u)
		}
	}
	if l, _ := enf.Layer(procjail.RequireTreeKill); l.Enforced {
		if pids := processesRunning(harness); len(pids) > 0 {
			t.Errorf("%s: payload processes outlived the sandbox: %v", s, pids)
		}
	}
}

func processesRunning(substr string) []int {
	var out []int
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, _ := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if strings.Contains(string(b), substr) && alive(pid) {
			out = append(out, pid)
		}
	}
	return out
}

func prepareBait(t *testing.T) *hostBait {
	t.Helper()
	b := &hostBait{WorkDir: workDir(t), CallerPid: os.Getpid()}
	secretDir := workDir(t)
	b.SecretFile = filepath.Join(secretDir, "secret")
	must(t, os.WriteFile(b.SecretFile, []byte("host-secret-canary"), 0o644))
	must(t, os.Symlink(b.SecretFile, filepath.Join(b.WorkDir, "evil-link")))
	must(t, os.WriteFile(filepath.Join(b.WorkDir, "attacks.py"), attacksPy, 0o644))
	b.WritableHostDir = workDir(t)
	must(t, os.Chmod(b.WritableHostDir, 0o777))
	b.startVictim(t)
	b.listen(t)
	b.inheritFD(t, secretDir)
	if os.Geteuid() == 0 {
		b.SuidBinary = filepath.Join(secretDir, "suid-id")
		data, err := os.ReadFile("/usr/bin/id")
		must(t, err)
		must(t, os.WriteFile(b.SuidBinary, data, 0o755))
		must(t, os.Chmod(b.SuidBinary, 0o4755))
	}
	return b
}

func (b *hostBait) startVictim(t *testing.T) {
	b.victim = exec.Command("sleep", "1000")
	must(t, b.victim.Start())
	b.VictimPid = b.victim.Process.Pid
	t.Cleanup(func() { b.victim.Process.Kill(); b.victim.Wait() })
}

func (b *hostBait) listen(t *testing.T) {
	tcp, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	b.TCPPort = tcp.Addr().(*net.TCPAddr).Port
	sockDir := workDir(t)
	must(t, os.Chmod(sockDir, 0o777))
	b.UnixSocket = filepath.Join(sockDir, "host.sock")
	unixL, err := net.Listen("unix", b.UnixSocket)
	must(t, err)
	os.Chmod(b.UnixSocket, 0o777)
	b.AbstractSocket = fmt.Sprintf("procjail-test-%d-%d", os.Getpid(), time.Now().UnixNano())
	abs, err := net.Listen("unix", "@"+b.AbstractSocket)
	must(t, err)
	for _, l := range []net.Listener{tcp, unixL, abs} {
		go serveHello(l)
		t.Cleanup(func() { l.Close() })
	}
}

func serveHello(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		c.Write([]byte("hello"))
		c.Close()
	}
}

// inheritFD leaves a descriptor open without close-on-exec, as a careless
// caller might; it must not reach the payload.
func (b *hostBait) inheritFD(t *testing.T, dir string) {
	p := filepath.Join(dir, "inherited-secret")
	must(t, os.WriteFile(p, []byte("fd-canary"), 0o644))
	fd, err := syscall.Open(p, syscall.O_RDONLY, 0)
	must(t, err)
	t.Cleanup(func() { syscall.Close(fd) })
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// cells turns one strategy's results into table cells: "contained" or
// "not contained", and for host-checked attacks what the host saw.
func cells(results map[string]string, enf procjail.Enforcement) map[string]string {
	out := map[string]string{}
	for name, layer := range attackLayer {
		res := results[name]
		switch {
		case strings.HasPrefix(res, "BLOCKED"):
			out[name] = "contained"
		case strings.HasPrefix(res, "HOSTCHECK"):
			// checkHostSide failed the test if a claimed layer let it
			// through; an unclaimed one is not contained.
			if l, ok := enf.Layer(layer); ok && l.Enforced {
				out[name] = "contained"
			} else {
				out[name] = "not contained"
			}
		default:
			out[name] = "**not contained**"
		}
	}
	return out
}

// writeAttackTable writes the attack × strategy table as Markdown, for
// SECURITY.md (PROCJAIL_ATTACK_TABLE=file; "-root" or "-unprivileged" is
// added to the name).
func writeAttackTable(t *testing.T, path string, table map[string]map[string]string) {
	who := "-root"
	if testutil.Unprivileged() {
		who = "-unprivileged"
	}
	strategies := []string{"unshare", "bubblewrap", "firejail", "rlimits"}
	var b strings.Builder
	b.WriteString("| attack | layer |")
	for _, s := range strategies {
		b.WriteString(" " + s + " |")
	}
	b.WriteString("\n|---|---|" + strings.Repeat("---|", len(strategies)) + "\n")
	names := make([]string, 0, len(attackLayer))
	for n := range attackLayer {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		layer := string(attackLayer[n])
		if layer == "" {
			layer = "all"
		}
		fmt.Fprintf(&b, "| %s | %s |", n, layer)
		for _, s := range strategies {
			c := table[s][n]
			if c == "" {
				c = "n/a"
			}
			b.WriteString(" " + c + " |")
		}
		b.WriteString("\n")
	}
	if err := os.WriteFile(path+who+".md", []byte(b.String()), 0o644); err != nil {
		t.Errorf("attack table: %v", err)
	}
}
