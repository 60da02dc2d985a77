package procjail

import (
	"os"
	"strconv"
	"strings"
	"sync"

	llsys "github.com/landlock-lsm/go-landlock/landlock/syscall"
	"golang.org/x/sys/unix"
)

// ProbeCapabilities probes the host once per process (later calls return
// the cached result).
func ProbeCapabilities() Capabilities { return probeOnce() }

var (
	probeOnce       = sync.OnceValue(probe)
	landlockFeature = sync.OnceValue(probeLandlock)
)

func probe() Capabilities {
	c := Capabilities{
		Seccomp:    probeSeccomp(),
		Landlock:   landlockFeature(),
		Pidfd:      probePidfd(),
		Bubblewrap: bubblewrapFeature(),
		Firejail:   firejailFeature(),
	}
	c.CgroupV2, c.CgroupV1 = cgroupFeatures()
	c.UserNamespaces = probeUserNS()
	c.Strategies = map[string]Feature{
		Unshare.String():    unshareFeature(c.UserNamespaces),
		Bubblewrap.String(): c.Bubblewrap,
		Firejail.String():   c.Firejail,
		Rlimits.String():    {Available: true, Detail: "always available"},
	}
	c.Best = Rlimits
	for _, s := range Strategies {
		if c.Strategies[s.String()].Available {
			c.Best = s
			break
		}
	}
	return c
}

func probeSeccomp() Feature {
	// PR_GET_SECCOMP answers 0 when seccomp is compiled in and we are not
	// filtered, 2 when already filtered (nesting still works); EINVAL when
	// the kernel lacks it.
	mode, err := unix.PrctlRetInt(unix.PR_GET_SECCOMP, 0, 0, 0, 0)
	if err != nil {
		return Feature{Reason: "prctl(PR_GET_SECCOMP): " + err.Error(), Hint: "use a kernel built with CONFIG_SECCOMP_FILTER"}
	}
	if !seccompArchSupported() {
		return Feature{Reason: "procjail has no seccomp tables for this architecture"}
	}
	d := "filter mode available"
	if mode == 2 {
		d += " (this process is already filtered; filters nest)"
	}
	return Feature{Available: true, Detail: d}
}

func probeLandlock() Feature {
	abi, err := llsys.LandlockGetABIVersion()
	if err != nil {
		hint := "boot with lsm=...,landlock (CONFIG_SECURITY_LANDLOCK) to get it"
		return Feature{Reason: "landlock_create_ruleset: " + err.Error(), Hint: hint}
	}
	return Feature{Available: true, Detail: "ABI " + strconv.Itoa(abi)}
}

func probePidfd() Feature {
	fd, err := unix.PidfdOpen(os.Getpid(), 0)
	if err != nil {
		return Feature{Reason: "pidfd_open: " + err.Error(), Hint: "Linux 5.3 or later"}
	}
	unix.Close(fd)
	return Feature{Available: true}
}

// userNSHint explains the usual reasons a user namespace cannot be created.
func userNSHint() string {
	var why []string
	if v := readSysctl("kernel/unprivileged_userns_clone"); v == "0" {
		why = append(why, "sysctl kernel.unprivileged_userns_clone=0 (set it to 1)")
	}
	if v := readSysctl("user/max_user_namespaces"); v == "0" {
		why = append(why, "sysctl user.max_user_namespaces=0 (raise it)")
	}
	if v := readSysctl("kernel/apparmor_restrict_unprivileged_userns"); v == "1" {
		why = append(why, "AppArmor restricts unprivileged user namespaces (sysctl kernel.apparmor_restrict_unprivileged_userns=1: add an AppArmor profile allowing userns for this binary, or set the sysctl to 0)")
	}
	if len(why) == 0 {
		why = append(why, "a container's seccomp profile may forbid clone(CLONE_NEWUSER) (e.g. Docker's default: run with --security-opt seccomp=unconfined or a profile that allows it)")
	}
	return "user namespaces are unavailable: " + strings.Join(why, "; ") + "; or use strategy bubblewrap/rlimits"
}

func readSysctl(name string) string {
	b, err := os.ReadFile("/proc/sys/" + name)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}
