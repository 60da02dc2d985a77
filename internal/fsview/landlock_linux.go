//go:build linux

package fsview

import (
	"errors"
	"fmt"

	"github.com/landlock-lsm/go-landlock/landlock"
	ll "github.com/landlock-lsm/go-landlock/landlock/syscall"
	"golang.org/x/sys/unix"
)

// presets are go-landlock's configurations per ABI: what each ABI handles.
var presets = []landlock.Config{{}, landlock.V1, landlock.V2, landlock.V3, landlock.V4, landlock.V5,
	landlock.V6, landlock.V7, landlock.V8, landlock.V9, landlock.V10, landlock.V11}

// ApplyLandlock restricts the CALLING OS THREAD (and every process it
// starts afterwards) to rules, best effort: it uses the kernel's ABI and
// reports exactly what it enforced. The caller must hold
// runtime.LockOSThread, never unlock it afterwards, and have set
// no_new_privs on this thread (prctl(PR_SET_NO_NEW_PRIVS)); other threads
// stay unrestricted. When the kernel has no Landlock the report says so
// (Enforced false, Reason set) and the error is nil: call
// LandlockReport.Require to fail closed.
//
// Rule paths are opened with O_NOFOLLOW: a symlink is an error, as is a
// missing path unless the rule is optional.
func ApplyLandlock(rules []Rule, opts LandlockOptions) (LandlockReport, error) {
	var rep LandlockReport
	rep.ABI, rep.Reason = landlockABI()
	if rep.ABI == 0 {
		return rep, nil
	}
	if nnp, err := unix.PrctlRetInt(unix.PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0); err != nil || nnp != 1 {
		return rep, &StepError{Step: "landlock", Err: fmt.Errorf("no_new_privs is not set on this thread: %w", unix.EPERM),
			Hint: "lock the OS thread and call prctl(PR_SET_NO_NEW_PRIVS, 1) on it first"}
	}
	handled(&rep, opts)
	fd, err := ll.LandlockCreateRuleset(&ll.RulesetAttr{HandledAccessFS: uint64(rep.HandledAccessFS),
		HandledAccessNet: uint64(rep.HandledAccessNet), Scoped: uint64(rep.Scoped)}, 0)
	if err != nil {
		return rep, stepErr("landlock_create_ruleset", "", err)
	}
	defer unix.Close(fd)
	if err := addPathRules(fd, rules, &rep); err != nil {
		return rep, err
	}
	if err := addNetRules(fd, opts.Net, &rep); err != nil {
		return rep, err
	}
	if err := ll.LandlockRestrictSelf(fd, 0); err != nil {
		return rep, stepErr("landlock_restrict_self", "", err)
	}
	rep.Enforced = true
	return rep, nil
}

// landlockABI returns the usable ABI (0 if none) and why it is lower
// than the kernel's, if it is.
func landlockABI() (int, string) {
	v, err := ll.LandlockGetABIVersion()
	switch {
	case errors.Is(err, unix.EOPNOTSUPP):
		return 0, "Landlock is disabled (not in the lsm= boot parameter)"
	case err != nil:
		return 0, fmt.Sprintf("the kernel has no Landlock (%v)", err)
	case v < 1:
		return 0, fmt.Sprintf("unexpected Landlock ABI %d", v)
	}
	reason := ""
	if v >= 6 {
		if errata, err := ll.LandlockGetErrata(); err != nil || errata&0x2 == 0 {
			v, reason = 5, "ABI lowered to 5: the kernel lacks the signal-scoping fix (erratum 2)"
		}
	}
	return min(v, len(presets)-1), reason
}

// handled fills in what the ruleset restricts for rep.ABI.
func handled(rep *LandlockReport, opts LandlockOptions) {
	p := presets[rep.ABI]
	rep.HandledAccessFS = p.HandledAccessFS
	if opts.Net != nil {
		rep.HandledAccessNet = p.HandledAccessNet
	}
	if !opts.NoScope {
		rep.Scoped = p.Scoped
	}
}

func addPathRules(ruleset int, rules []Rule, rep *LandlockReport) error {
	for _, r := range rules {
		added, err := addPathRule(ruleset, r, uint64(rep.HandledAccessFS))
		switch {
		case errors.Is(err, unix.ENOENT) && r.Optional:
			rep.Skipped = append(rep.Skipped, r)
		case err != nil:
			return stepErr("landlock_add_rule", r.Path, err)
		case added:
			rep.Rules = append(rep.Rules, r)
		}
	}
	return nil
}

// addPathRule adds one path-beneath rule; rights not handled by the ABI,
// and directory rights on a file, are dropped.
func addPathRule(ruleset int, r Rule, handledFS uint64) (bool, error) {
	fd, err := unix.Open(r.Path, unix.O_PATH|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return false, err
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return false, err
	}
	if st.Mode&unix.S_IFMT == unix.S_IFLNK {
		return false, fmt.Errorf("rule path is a symlink: %w", unix.ELOOP)
	}
	rights := r.Access.Rights(st.Mode&unix.S_IFMT == unix.S_IFDIR) & handledFS
	if rights == 0 {
		return false, nil
	}
	return true, ll.LandlockAddPathBeneathRule(ruleset, &ll.PathBeneathAttr{AllowedAccess: rights, ParentFd: fd}, 0)
}

// addNetRules allows the policy's ports for the handled network rights.
func addNetRules(ruleset int, net *NetPolicy, rep *LandlockReport) error {
	if net == nil || rep.HandledAccessNet == 0 {
		return nil
	}
	lists := []struct {
		right uint64
		ports []uint16
		dst   *[]uint16
	}{
		{ll.AccessNetBindTCP, net.BindTCP, &rep.Net.BindTCP},
		{ll.AccessNetConnectTCP, net.ConnectTCP, &rep.Net.ConnectTCP},
		{ll.AccessNetBindUDP, net.BindUDP, &rep.Net.BindUDP},
		{ll.AccessNetConnectSendUDP, net.ConnectSendUDP, &rep.Net.ConnectSendUDP},
	}
	for _, l := range lists {
		if uint64(rep.HandledAccessNet)&l.right == 0 {
			continue
		}
		for _, port := range l.ports {
			if err := ll.LandlockAddNetPortRule(ruleset, &ll.NetPortAttr{AllowedAccess: l.right, Port: uint64(port)}, 0); err != nil {
				return stepErr("landlock_add_rule", fmt.Sprintf("port %d", port), err)
			}
			*l.dst = append(*l.dst, port)
		}
	}
	return nil
}
