package procjail

import (
	"encoding/json"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/procjail/procjail/internal/fsview"
	"github.com/procjail/procjail/internal/stage"
)

// The payload's uid and gid inside an Unshare sandbox: not root, and the
// only ids mapped, so nothing inside can become anyone else.
const (
	sandboxUID      = stage.SandboxUID
	sandboxGID      = stage.SandboxGID
	sandboxHostname = stage.SandboxHostname
)

const allNamespaces = syscall.CLONE_NEWUSER | syscall.CLONE_NEWPID | syscall.CLONE_NEWNS |
	syscall.CLONE_NEWNET | syscall.CLONE_NEWIPC | syscall.CLONE_NEWUTS | syscall.CLONE_NEWCGROUP

// Capabilities the stage keeps (in its own user namespace only) to build
// the sandbox; it drops them all before the payload starts.
const (
	capNetAdmin = 12
	capSysAdmin = 21
	capSetpcap  = 8
)

// startUnshare builds the sandbox natively: a stage cloned into new user,
// pid, mount, net, ipc, uts and cgroup namespaces — warm from the pool
// when one is ready (l), else cloned now.
func (j *job) startUnshare(enf Enforcement, ids sandboxIDs, l *launched) (*Process, error) {
	if l == nil {
		defer pool.refill() // the pool ran dry: refill now
	}
	spec, err := j.unshareSpec(ids)
	if err != nil {
		if l != nil {
			l.discard()
		}
		return nil, err
	}
	if l != nil {
		j.prepared = time.Since(j.begun)
		p, err := j.runStage(l, Unshare, spec, enf, nil)
		if err == nil || !stageLost(err) {
			return p, err
		}
		if err := j.renewGroup(); err != nil { // the failed stage's group went with it
			return nil, err
		}
	}
	p, err := j.startStage(Unshare, spec, unshareAttr(ids), enf, nil)
	if err != nil && stageLost(err) {
		// The host's files changed since the plan was made: make it
		// again and start afresh, once.
		clearPlanCache()
		if err := j.renewGroup(); err != nil {
			return nil, err
		}
		if spec, err = j.unshareSpec(ids); err != nil {
			return nil, err
		}
		return j.startStage(Unshare, spec, unshareAttr(ids), enf, nil)
	}
	return p, err
}

func clearPlanCache() {
	planCache.Lock()
	clear(planCache.m)
	planCache.Unlock()
}

func (j *job) unshareSpec(ids sandboxIDs) (*stage.Spec, error) {
	view, err := cachedView(j.viewRequest())
	if err != nil {
		return nil, &Error{Op: "spawn", Step: "filesystem view", Err: errorsJoinSetup(err)}
	}
	spec := j.baseSpec(stage.KindUnshare, ids)
	spec.Path, spec.Dir, spec.Hostname = j.runtime, j.workDir, sandboxHostname
	spec.Env = sandboxHome(spec.Env, j.cfg.EnvSet)
	spec.FSPlan = view.json
	if landlockFeature().Available {
		spec.Landlock = view.rules
	}
	spec.Seccomp = j.seccompProgram(false)
	if j.cfg.AllowLocalhost {
		spec.LocalhostPorts = j.cfg.AllowLocalhostPorts
	}
	return spec, nil
}

// planTTL bounds how stale a cached filesystem view may be. Building one
// resolves the runtime's ELF dependencies and lists /etc; a spawn loop
// reuses it. Every source is opened again, without following symlinks,
// when the stage applies the plan, so a stale plan can only fail, never
// expose more.
const planTTL = 10 * time.Second

type viewEntry struct {
	plan  fsview.Plan
	json  []byte // the plan, encoded for the stage
	rules []byte // its Landlock rules, encoded
	at    time.Time
}

var planCache = struct {
	sync.Mutex
	m map[string]viewEntry
}{m: map[string]viewEntry{}}

// viewReserved are paths the filesystem view builds itself: a work dir
// there would clash with the sandbox's own (private /tmp, fresh /proc...).
var viewReserved = []string{"/", "/tmp", "/var/tmp", "/dev", "/dev/shm", "/proc", "/sys", "/etc", "/usr", "/bin", "/sbin", "/lib", "/lib64"}

// checkViewWorkDir refuses a work dir the view cannot show at its path.
func (j *job) checkViewWorkDir() error {
	for _, p := range viewReserved {
		if j.workDir == p {
			return &Error{Op: "spawn", Field: "work_dir", Err: ErrInvalidConfig,
				Detail: p + " is part of the sandbox's own filesystem view (a private /tmp, a fresh /proc, read-only system directories)",
				Hint:   "run the package from a directory of its own, e.g. one made with mktemp -d"}
		}
	}
	return nil
}

func cachedPlan(r fsview.Request) (fsview.Plan, error) {
	c, err := cachedView(r)
	return c.plan, err
}

// cachedView returns the plan for r and its encodings, built at most
// planTTL ago.
func cachedView(r fsview.Request) (viewEntry, error) {
	key, err := json.Marshal(r)
	if err != nil {
		return viewEntry{}, err
	}
	planCache.Lock()
	c, ok := planCache.m[string(key)]
	planCache.Unlock()
	if ok && time.Since(c.at) < planTTL {
		return c, nil
	}
	if c, err = buildView(r); err != nil {
		return c, err
	}
	planCache.Lock()
	if len(planCache.m) > 64 {
		clear(planCache.m)
	}
	planCache.m[string(key)] = c
	planCache.Unlock()
	return c, nil
}

func buildView(r fsview.Request) (viewEntry, error) {
	plan, err := fsview.Build(r)
	if err != nil {
		return viewEntry{}, err
	}
	c := viewEntry{plan: plan, at: time.Now()}
	if c.json, err = json.Marshal(plan); err == nil {
		c.rules, err = json.Marshal(plan.LandlockRules())
	}
	return c, err
}

func (j *job) viewRequest() fsview.Request {
	r := fsview.Request{
		Runtime: j.runtime, Harness: j.harness, WorkDir: j.workDir,
		WritableWorkDir: j.cfg.WritableWorkDir,
		TmpBytes:        int64(j.cfg.MaxDiskBytes),
		UID:             sandboxUID, GID: sandboxGID, Hostname: sandboxHostname,
	}
	for _, m := range j.cfg.ReadOnlyMounts {
		r.ReadOnly = append(r.ReadOnly, fsview.Pair{Host: m.Host, Sandbox: m.Sandbox})
	}
	for _, m := range j.cfg.WritableMounts {
		r.Writable = append(r.Writable, fsview.Pair{Host: m.Host, Sandbox: m.Sandbox})
	}
	return r
}

// sandboxHome points HOME at the sandbox's private /tmp unless the caller
// set HOME explicitly: the caller's home does not exist inside.
func sandboxHome(env []string, set map[string]string) []string {
	if _, ok := set["HOME"]; ok {
		return env
	}
	out := env[:0:0]
	for _, kv := range env {
		if len(kv) < 5 || kv[:5] != "HOME=" {
			out = append(out, kv)
		}
	}
	return append(out, "HOME=/tmp")
}

func unshareAttr(ids sandboxIDs) *syscall.SysProcAttr {
	a := &syscall.SysProcAttr{
		Cloneflags:  allNamespaces,
		UidMappings: []syscall.SysProcIDMap{{ContainerID: sandboxUID, HostID: ids.uid, Size: 1}},
		GidMappings: []syscall.SysProcIDMap{{ContainerID: sandboxGID, HostID: ids.gid, Size: 1}},
		Credential:  &syscall.Credential{Uid: sandboxUID, Gid: sandboxGID, NoSetGroups: true},
		AmbientCaps: []uintptr{capSysAdmin, capNetAdmin, capSetpcap},
		Setsid:      true,
		Pdeathsig:   syscall.SIGKILL,
	}
	if ids.dedicated {
		// A root caller's supplementary groups (root among them) would
		// otherwise stay with the sandbox: allow setgroups so they are
		// cleared. The sandbox has no capability to call it again.
		a.GidMappingsEnableSetgroups = true
		a.Credential.NoSetGroups = false
		a.Credential.Groups = []uint32{}
	}
	return a
}

// probeUserNS runs the real Unshare setup with /bin/true: the answer is
// whether a sandbox can really be built here, not whether a flag exists.
func probeUserNS() Feature {
	dir, err := os.MkdirTemp("", "procjail-probe-")
	if err != nil {
		return Feature{Reason: "probe: " + err.Error()}
	}
	defer os.RemoveAll(dir)
	os.Chmod(dir, 0o755)
	cfg := DefaultConfig()
	cfg.Runtime, cfg.Timeout = "/bin/true", 10*time.Second // not looked up in the caller's PATH
	j, err := newJob("", dir, cfg, nil)
	if err != nil {
		return Feature{Reason: "probe: " + err.Error()}
	}
	p, err := j.startUnshare(Enforcement{}, allocIDs(), nil)
	if err != nil {
		return Feature{Reason: err.Error(), Hint: userNSHint()}
	}
	defer p.Close()
	u, err := p.Wait()
	if err != nil || u.Reason != ExitNormal || u.ExitCode != 0 {
		return Feature{Reason: "probe sandbox did not run /bin/true: " + u.String(), Hint: userNSHint()}
	}
	return Feature{Available: true, Detail: "user, pid, mount, net, ipc, uts and cgroup namespaces"}
}

func unshareFeature(userns Feature) Feature {
	if !userns.Available {
		return userns
	}
	return Feature{Available: true, Detail: "native namespaces, filesystem view, seccomp, Landlock"}
}
