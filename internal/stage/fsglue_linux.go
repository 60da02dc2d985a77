package stage

import (
	"encoding/json"

	"github.com/procjail/procjail/internal/fsview"
)

// applyFSPlan builds the filesystem view and leaves us inside it.
func applyFSPlan(raw json.RawMessage) error {
	plan, err := fsview.UnmarshalPlan(raw)
	if err != nil {
		return Errorf("filesystem view", "", "decode plan: %w", err)
	}
	if err := plan.Apply(); err != nil {
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
