package stage

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/procjail/procjail/internal/fsview"
)

// prepareView does, before the spec arrives, the part of building the
// view that does not depend on it. In a stage without a mount namespace of
// its own (rlimits) it does nothing.
func (s *stage) prepareView() {
	if !fsview.OwnMountNS() {
		return // no view to build (rlimits, bubblewrap, firejail)
	}
	// The base every plan starts with (the system directories, /etc,
	// /dev, /proc) is computed from the host's files before Prepare moves
	// them to /oldroot, and built while no spawn waits for it.
	base, baseErr := fsview.BaseOps(SandboxUID, SandboxGID, SandboxHostname)
	s.prep, s.prepErr = fsview.Prepare(fsview.RootBytes)
	if errors.Is(s.prepErr, fsview.ErrSharedMountNS) {
		s.prep, s.prepErr = nil, nil
	}
	if s.prep == nil {
		return
	}
	if baseErr == nil {
		baseErr = s.prep.ApplyBase(base)
	}
	if baseErr != nil {
		s.prepErr = &StepError{Step: StaleStep, Err: baseErr}
	}
}

// applyFSPlan builds the filesystem view and leaves us inside it.
func (s *stage) applyFSPlan(raw json.RawMessage) error {
	plan, err := fsview.UnmarshalPlan(raw)
	if err != nil {
		return Errorf("filesystem view", "", "decode plan: %w", err)
	}
	switch {
	case s.prepErr != nil:
		var se *StepError
		if errors.As(s.prepErr, &se) {
			return se
		}
		err = s.prepErr
	case s.prep != nil:
		err = plan.ApplyPrepared(s.prep)
	default:
		err = plan.Apply()
	}
	if errors.Is(err, fsview.ErrBaseChanged) {
		return &StepError{Step: StaleStep, Err: err}
	}
	if err != nil {
		return fsError(err)
	}
	return nil
}

func fsError(err error) error {
	var se *fsview.StepError
	if asStep(err, &se) {
		return &StepError{Step: se.Step + " " + se.Path, Err: se.Err, Hint: se.Hint}
	}
	return &StepError{Step: "filesystem view", Err: err}
}

// applyLandlock enforces the ruleset the parent computed, on this thread.
// The parent reported Landlock as enforced when it sent rules, so anything
// short of that fails the spawn.
func (s *stage) applyLandlock() error {
	if len(s.spec.Landlock) == 0 {
		return nil
	}
	var rules []fsview.Rule
	if err := json.Unmarshal(s.spec.Landlock, &rules); err != nil {
		return Errorf("landlock", "", "decode rules: %w", err)
	}
	rep, err := fsview.ApplyLandlock(rules, fsview.LandlockOptions{})
	if err != nil {
		return &StepError{Step: "landlock", Err: err, Hint: rep.Reason}
	}
	if !rep.Enforced {
		return Errorf("landlock", "set strategy rlimits or drop the landlock requirement", "not enforced: %s", rep.Reason)
	}
	s.applied = append(s.applied, fmt.Sprintf("landlock-abi-%d", rep.ABI))
	return nil
}
