package firejail

// Limitations firejail always has, compared with procjail's Unshare
// strategy on the same plan.
var alwaysLimited = []string{
	"firejail is setuid root: a bug in it is a host root escalation",
	"/tmp and /dev/shm are tmpfs without a size limit: only a cgroup memory limit bounds filling them",
	"the host's top-level directories remain as empty mount points, /run/firejail (firejail's own state) stays listable, and /etc entries are the host's copies (passwd, group, hosts and hostname included) rather than synthesized ones",
	"firejail adds variables to the payload's environment (container=firejail and others) and, being setuid, glibc strips loader and locale variables (LD_*, TMPDIR, ...) before the payload sees them",
	"seccomp is firejail's own filter: no argument filtering (TIOCSTI and clone's namespace flags are not checked; restrict-namespaces covers namespaces), and procjail's filter is not installed",
	"no Landlock: the mount view is the only filesystem boundary",
}

// limitations lists what this Input's command line cannot enforce.
func limitations(in Input) []string {
	out := append([]string(nil), alwaysLimited...)
	if in.AsRoot {
		out = append(out,
			"run as root, the payload is host uid 0: noroot has no effect for root, so uid 0 keeps its ownership of host files and of uid-checked /proc and /sys entries even with every capability dropped",
			"run as root, RLIMIT_NPROC does not apply: the process limit needs a cgroup")
	} else if in.Limits.NProc > 0 {
		out = append(out, "RLIMIT_NPROC counts every process of the uid firejail runs as on the whole host, the caller's included")
	}
	if !in.UnshareNet {
		out = append(out, "the network namespace is the host's: host services on localhost and abstract Unix sockets are reachable")
	}
	return out
}
