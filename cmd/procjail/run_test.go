package main

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/procjail/procjail"
	"github.com/procjail/procjail/internal/testutil"
)

func TestRunPropagatesExitCode(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want int
	}{
		{"exit 3", []string{"run", "--", "/bin/sh", "-c", "exit 3"}, 3},
		{"exit 0 without --", []string{"run", "/bin/sh", "-c", "exit 0"}, 0},
		{"killed by SIGKILL", []string{"run", "--", "/bin/sh", "-c", "kill -9 $$"}, 137},
		{"timeout", []string{"run", "--timeout", "300ms", "--", "sleep", "5"}, exitTimeout},
		{"runtime not found", []string{"run", "--", "/definitely/missing"}, exitNotFound},
		{"runtime not in PATH", []string{"run", "--", "procjail-no-such-command"}, exitNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantCode(t, runCLI(t, "", nil, tc.args...), tc.want)
		})
	}
}

func TestRunUsageErrors(t *testing.T) {
	bad := filepath.Join(workDir(t), "bad.toml")
	if err := os.WriteFile(bad, []byte("max_fds = 100\nmax_fdz = 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		says string // the message must name what is wrong
	}{
		{"unknown flag", []string{"run", "--no-such-flag", "--", "true"}, "--no-such-flag"},
		{"unknown strategy", []string{"run", "--strategy", "chroot", "--", "true"}, `unknown strategy "chroot"`},
		{"unknown requirement", []string{"run", "--require", "fs,magic", "--", "true"}, `"magic"`},
		{"bad size", []string{"run", "--max-memory-bytes", "12X", "--", "true"}, `"12X"`},
		{"out of range", []string{"run", "--max-fds", "1", "--", "true"}, "max_fds"},
		{"unknown config key", []string{"run", "--config", bad, "--", "true"}, "max_fdz"},
		{"missing config file", []string{"run", "--config", bad + ".missing", "--", "true"}, "bad.toml.missing"},
		{"no command", []string{"run"}, "no command"},
		{"unknown command", []string{"runn"}, `unknown command "runn"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, "", nil, tc.args...)
			wantCode(t, r, exitUsage)
			if !strings.Contains(r.stderr, tc.says) {
				t.Errorf("stderr does not mention %q:\n%s", tc.says, r.stderr)
			}
		})
	}
}

func TestRunUnmetRequirementFailsClosed(t *testing.T) {
	r := runCLI(t, "", nil, "run", "--strategy", "rlimits", "--require", "net", "--", "/bin/sh", "-c", "echo ran")
	wantCode(t, r, exitNoSandbox)
	if strings.Contains(r.stdout, "ran") {
		t.Fatal("the command ran although its requirement was unmet")
	}
}

func TestRunStdinToStdout(t *testing.T) {
	r := runCLI(t, "hi\nthere\n", nil, "run", "--", "cat")
	wantCode(t, r, 0)
	if r.stdout != "hi\nthere\n" {
		t.Fatalf("stdout = %q, want the stdin copied through", r.stdout)
	}
}

func TestRunReport(t *testing.T) {
	r := runCLI(t, "", nil, "run", "--quiet", "--report", "-", "--capture-stderr", "--", "/bin/sh", "-c", "echo oops >&2; exit 5")
	wantCode(t, r, 5)
	var rep struct {
		Argv     []string         `json:"argv"`
		Reason   string           `json:"reason"`
		ExitCode *int             `json:"exit_code"`
		Strategy string           `json:"strategy"`
		Layers   []procjail.Layer `json:"layers"`
		Own      int              `json:"procjail_exit_code"`
		Stderr   string           `json:"stderr"`
	}
	if err := json.Unmarshal([]byte(r.stderr), &rep); err != nil {
		t.Fatalf("--report - did not write JSON to stderr: %v", err)
	}
	switch {
	case rep.Reason != string(procjail.ExitNormal) || rep.ExitCode == nil || *rep.ExitCode != 5:
		t.Errorf("reason=%q exit_code=%v, want exited 5", rep.Reason, rep.ExitCode)
	case rep.Strategy == "" || rep.Strategy == "auto" || len(rep.Layers) == 0:
		t.Errorf("strategy %q with %d layers: the enforcement is missing", rep.Strategy, len(rep.Layers))
	case rep.Own != 5 || rep.Stderr != "oops\n" || len(rep.Argv) != 3:
		t.Errorf("procjail_exit_code=%d stderr=%q argv=%q", rep.Own, rep.Stderr, rep.Argv)
	}
}

func TestRunReportOnSetupFailure(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.json")
	r := runCLI(t, "", nil, "run", "--report", path, "--", "/definitely/missing")
	wantCode(t, r, exitNotFound)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rep runReport
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Reason != procjail.ExitSetup || rep.ProcjailExitCode != exitNotFound || !strings.Contains(rep.Error, "/definitely/missing") {
		t.Fatalf("report = %+v", rep)
	}
}

func TestRunWarnsOnceWhenWeak(t *testing.T) {
	r := runCLI(t, "", nil, "run", "--strategy", "rlimits", "--", "true")
	wantCode(t, r, 0)
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "procjail: warning: running under rlimits: no filesystem, network, pid or ipc isolation") {
		t.Fatalf("stderr = %q, want exactly one rlimits warning", r.stderr)
	}
	if q := runCLI(t, "", nil, "run", "--quiet", "--strategy", "rlimits", "--", "true"); q.stderr != "" {
		t.Fatalf("--quiet: stderr = %q, want nothing", q.stderr)
	}
}

func TestRunNoWarningUnderUnshare(t *testing.T) {
	if f := probeCaps(t).Strategies["unshare"]; !f.Available {
		testutil.Skip(t, testutil.MissingFeature, "unshare", f.Reason)
	}
	r := runCLI(t, "", nil, "run", "--strategy", "unshare", "--", "true")
	wantCode(t, r, 0)
	if r.stderr != "" {
		t.Fatalf("stderr = %q, want nothing", r.stderr)
	}
}

func TestRunSignalKillsSandbox(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			report := filepath.Join(t.TempDir(), "report.json")
			cmd := exec.Command(cliBin, "run", "--report", report, "--", "/bin/sh", "-c", "echo ready; exec sleep 120")
			cmd.Dir = workDir(t)
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			if line, err := bufio.NewReader(out).ReadString('\n'); line != "ready\n" {
				cmd.Process.Kill()
				t.Fatalf("first line %q, %v", line, err)
			}
			cmd.Process.Signal(sig)
			cmd.Wait()
			if got, want := cmd.ProcessState.ExitCode(), 128+int(sig); got != want {
				t.Fatalf("exit code %d, want %d", got, want)
			}
			var rep runReport
			b, _ := os.ReadFile(report)
			if err := json.Unmarshal(b, &rep); err != nil || rep.Reason != procjail.ExitKilled || rep.Interrupted == "" {
				t.Fatalf("report %s (%v): want reason killed and the signal", b, err)
			}
		})
	}
}

func TestRunConfigFileAndOverride(t *testing.T) {
	dir := workDir(t)
	cfg := filepath.Join(dir, "jail.toml")
	if err := os.WriteFile(cfg, []byte("timeout = \"300ms\"\nstrategy = \"rlimits\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	wantCode(t, runCLI(t, "", nil, "run", "-q", "--config", cfg, "--", "sleep", "5"), exitTimeout)
	wantCode(t, runCLI(t, "", nil, "run", "-q", "--config", cfg, "--timeout", "0", "--", "/bin/sh", "-c", "exit 7"), 7)
}
