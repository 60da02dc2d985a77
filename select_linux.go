package procjail

import (
	"fmt"
	"os"
	"strings"
)

// spawn picks the strategy, computes what it will enforce, fails closed on
// an unmet requirement, then starts the sandbox.
func (j *job) spawn() (*Process, error) {
	strategy, skipped, err := chooseStrategy(j.cfg.Strategy)
	if err != nil {
		return nil, err
	}
	var warm *launched
	ids := allocIDs()
	if strategy == Firejail {
		ids = sandboxIDs{uid: os.Getuid(), gid: os.Getgid()} // see startFirejail
	}
	if strategy == Unshare {
		if warm = pool.take(); warm != nil {
			ids = warm.ids
		}
	}
	var why string
	if warm != nil && warm.group != nil {
		j.group, why = j.adopt(warm.group)
		warm.group = nil
	} else {
		j.group, why = j.newGroup()
	}
	enf := j.enforcement(strategy, ids, why)
	enf.Skipped = skipped
	if missing := enf.Missing(j.cfg.Require); len(missing) > 0 {
		return nil, j.giveBack(warm, requirementError(strategy, missing))
	}
	if err := j.checkReachable(ids); err != nil {
		return nil, j.giveBack(warm, err)
	}
	if strategy != Rlimits {
		if err := j.checkViewWorkDir(); err != nil {
			return nil, j.giveBack(warm, err)
		}
	}
	switch strategy {
	case Rlimits:
		return j.startRlimits(enf, ids)
	case Unshare:
		return j.startUnshare(enf, ids, warm)
	case Bubblewrap:
		return j.startBubblewrap(enf, ids)
	case Firejail:
		return j.startFirejail(enf)
	}
	return nil, &Error{Op: "spawn", Detail: strategy.String(), Err: ErrStrategyUnavailable,
		Hint: "this strategy is not available in this build; use unshare or rlimits"}
}

// giveBack discards a warm stage and the cgroup a failed spawn did not
// use.
func (j *job) giveBack(l *launched, err error) error {
	if l != nil {
		go l.discard()
	}
	if j.group != nil {
		j.group.g.Remove()
		j.group = nil
	}
	return err
}

func requirementError(s Strategy, missing []Layer) error {
	var parts []string
	for _, l := range missing {
		parts = append(parts, fmt.Sprintf("%s (%s)", l.Name, l.How))
	}
	return &Error{Op: "spawn", Err: ErrRequirement,
		Detail: fmt.Sprintf("strategy %s cannot enforce: %s", s, strings.Join(parts, "; ")),
		Hint:   "run `procjail probe` to see what this host can enforce, drop the requirement, or run where the stronger strategy is available"}
}

// chooseStrategy returns the forced strategy if it can run here, else the
// strongest whose probe succeeds, with why each stronger one was skipped.
func chooseStrategy(want Strategy) (Strategy, []Skip, error) {
	caps := ProbeCapabilities()
	if want != Auto {
		if ok, why := caps.runnable(want); !ok {
			return want, nil, &Error{Op: "spawn", Detail: want.String() + ": " + why, Err: ErrStrategyUnavailable,
				Hint: "run `procjail probe` for details, or use strategy = \"auto\""}
		}
		return want, nil, nil
	}
	var skipped []Skip
	for _, s := range Strategies {
		ok, why := caps.runnable(s)
		if ok {
			return s, skipped, nil
		}
		skipped = append(skipped, Skip{Strategy: s, Reason: why})
	}
	return Rlimits, skipped, nil
}
