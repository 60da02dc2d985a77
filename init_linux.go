package procjail

import "github.com/procjail/procjail/internal/stage"

// A procjail sandbox is built by a re-executed copy of the caller's own
// binary (the "stage"). This initialiser turns such a copy into the stage
// before the caller's main runs; in every other process it does nothing.
func init() {
	if stage.IsStage() {
		stage.Main()
	}
}
