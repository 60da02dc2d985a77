package procjail_test

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/procjail/procjail"
	"github.com/procjail/procjail/internal/testutil"
)

const noUserNSEnv = "PROCJAIL_TEST_NO_USERNS_DIR"

type noUserNSReport struct {
	Probe       procjail.Feature
	ForcedErr   string
	ForcedIsErr bool
	AutoOut     string
	AutoErr     string
	Strategy    string
	Skipped     []procjail.Skip
	RequireErr  string
	RequireIs   bool
}

// noUserNSChild runs inside a user namespace whose
// user.max_user_namespaces is 0: a host where procjail cannot create one.
func noUserNSChild(dir string) {
	var r noUserNSReport
	r.Probe = procjail.ProbeCapabilities().Strategies["unshare"]
	cfg := shConfig(procjail.Unshare)
	_, err := procjail.Spawn(dir+"/harness.sh", dir, cfg)
	r.ForcedErr, r.ForcedIsErr = errString(err), errors.Is(err, procjail.ErrStrategyUnavailable)
	cfg.Strategy = procjail.Auto
	if p, err := procjail.Spawn(dir+"/harness.sh", dir, cfg); err != nil {
		r.AutoErr = err.Error()
	} else {
		r.AutoOut, _ = p.Recv()
		r.Strategy, r.Skipped = p.Strategy().String(), p.Enforced().Skipped
		p.Close()
	}
	cfg.Require = []procjail.Requirement{procjail.RequireFilesystem}
	_, err = procjail.Spawn(dir+"/harness.sh", dir, cfg)
	r.RequireErr, r.RequireIs = errString(err), errors.Is(err, procjail.ErrRequirement)
	json.NewEncoder(os.Stdout).Encode(r)
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestHostWithoutUserNamespaces puts procjail where user namespaces cannot
// be created and checks the probe's reason, the error of a forced
// unshare, the fallback of auto and the fail-closed Require.
func TestHostWithoutUserNamespaces(t *testing.T) {
	if !procjail.ProbeCapabilities().Strategies["unshare"].Available {
		testutil.Skip(t, testutil.MissingFeature, "unshare", "the simulation needs one user namespace to start from")
	}
	dir := workDir(t)
	script(t, dir, "echo fallback-ran")
	cmd := exec.Command("/bin/sh", "-c", `echo 0 > /proc/sys/user/max_user_namespaces && exec "$0" -test.run=^$`, os.Args[0])
	cmd.Env = append(os.Environ(), noUserNSEnv+"="+dir)
	cmd.SysProcAttr = newUserNSAttr()
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	var r noUserNSReport
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("child said %q: %v", out, err)
	}
	if r.Probe.Available || !strings.Contains(r.Probe.Reason+r.Probe.Hint, "max_user_namespaces") {
		t.Errorf("probe: %+v, want unavailable naming max_user_namespaces", r.Probe)
	}
	if !r.ForcedIsErr || !strings.Contains(r.ForcedErr, "max_user_namespaces") {
		t.Errorf("forced unshare: %q, want ErrStrategyUnavailable naming the cause", r.ForcedErr)
	}
	if r.AutoOut != "fallback-ran" || r.Strategy != "rlimits" {
		t.Errorf("auto: out %q err %q strategy %s", r.AutoOut, r.AutoErr, r.Strategy)
	}
	// Every stronger strategy is skipped with its reason: unshare (no
	// user namespace), bubblewrap (cannot create one either, or is
	// missing), firejail (setuid does not work in a user namespace, or is
	// missing).
	skipped := map[string]string{}
	for _, sk := range r.Skipped {
		skipped[sk.Strategy.String()] = sk.Reason
	}
	for _, s := range []string{"unshare", "bubblewrap", "firejail"} {
		if skipped[s] == "" {
			t.Errorf("auto fell back without saying why %s was skipped: %+v", s, r.Skipped)
		}
	}
	if !r.RequireIs {
		t.Errorf("require fs: %q, want ErrRequirement", r.RequireErr)
	}
}

const noToolsEnv = "PROCJAIL_TEST_NO_TOOLS_DIR"

// noToolsChild runs with a PATH that has neither bwrap nor firejail.
func noToolsChild(dir string) {
	var r noUserNSReport
	caps := procjail.ProbeCapabilities()
	r.Probe = caps.Strategies["bubblewrap"]
	cfg := shConfig(procjail.Bubblewrap)
	_, err := procjail.Spawn(dir+"/harness.sh", dir, cfg)
	r.ForcedErr, r.ForcedIsErr = errString(err), errors.Is(err, procjail.ErrStrategyUnavailable)
	cfg.Strategy = procjail.Firejail
	_, err = procjail.Spawn(dir+"/harness.sh", dir, cfg)
	r.RequireErr, r.RequireIs = errString(err), errors.Is(err, procjail.ErrStrategyUnavailable)
	r.Strategy = caps.Best.String()
	json.NewEncoder(os.Stdout).Encode(r)
}

// TestHostWithoutBwrapOrFirejail: with neither tool installed, the probe
// says so, forcing either fails closed naming the cause, and auto still
// picks the strongest that runs.
func TestHostWithoutBwrapOrFirejail(t *testing.T) {
	dir := workDir(t)
	script(t, dir, "echo ran")
	empty := workDir(t)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), noToolsEnv+"="+dir, "PATH="+empty)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	var r noUserNSReport
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("child said %q: %v", out, err)
	}
	if r.Probe.Available || !strings.Contains(r.Probe.Reason, "not found") {
		t.Errorf("bubblewrap probe: %+v, want unavailable: not found", r.Probe)
	}
	if !r.ForcedIsErr || !strings.Contains(r.ForcedErr, "not found") {
		t.Errorf("forced bubblewrap: %q", r.ForcedErr)
	}
	if !r.RequireIs || !strings.Contains(r.RequireErr, "not found") {
		t.Errorf("forced firejail: %q", r.RequireErr)
	}
	want := "rlimits"
	if procjail.ProbeCapabilities().Strategies["unshare"].Available {
		want = "unshare"
	}
	if r.Strategy != want {
		t.Errorf("auto picks %s without the tools, want %s", r.Strategy, want)
	}
}
