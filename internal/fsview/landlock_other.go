//go:build !linux

package fsview

// ApplyLandlock needs Linux; elsewhere it returns an error wrapping
// errors.ErrUnsupported.
func ApplyLandlock(rules []Rule, opts LandlockOptions) (LandlockReport, error) {
	return LandlockReport{Reason: "not Linux"}, &StepError{Step: "landlock", Err: errNotLinux}
}
