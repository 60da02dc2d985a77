package envpolicy

import (
	"errors"
	"maps"
	"slices"
	"strings"
)

// Validate checks the policy and returns every problem found, joined with
// errors.Join; each is a *[PolicyError]. It checks, in this order: the mode
// and its StripSecrets setting, each Passthrough name, each Strip pattern,
// and each Set variable (in name order).
func (p Policy) Validate() error {
	var errs []error
	add := func(e *PolicyError) {
		if e != nil {
			errs = append(errs, e)
		}
	}
	add(p.validateMode())
	for _, name := range p.Passthrough {
		add(p.validatePassthrough(name))
	}
	for _, pat := range p.Strip {
		add(validateStrip(pat))
	}
	for _, name := range slices.Sorted(maps.Keys(p.Set)) {
		add(p.validateSet(name, p.Set[name]))
	}
	return errors.Join(errs...)
}

func (p Policy) validateMode() *PolicyError {
	switch p.mode() {
	case ModeStripSecrets:
		if !p.StripSecrets {
			return &PolicyError{Field: FieldStripSecrets, Err: ErrModeConflict,
				Detail: "env_mode strip-secrets always strips secrets",
				Hint:   `to manage the list yourself use env_mode = "blocklist" with env_strip_secrets = false`}
		}
	case ModeBlocklist:
		if p.StripSecrets {
			return &PolicyError{Field: FieldStripSecrets, Err: ErrModeConflict,
				Detail: "env_mode blocklist does not apply the built-in secret rules",
				Hint:   "set env_strip_secrets = false to confirm"}
		}
	case ModeAllowlist:
	default:
		return &PolicyError{Field: FieldMode, Name: string(p.Mode), Err: ErrUnknownMode,
			Hint: `use "strip-secrets", "allowlist" or "blocklist"`}
	}
	return nil
}

func (p Policy) validatePassthrough(name string) *PolicyError {
	if prob := nameProblem(name); prob != "" {
		return &PolicyError{Field: FieldPassthrough, Name: shownName(name), Err: ErrInvalidName, Detail: prob}
	}
	if rule := secretNameRule(name); p.StripSecrets && rule != "" {
		return &PolicyError{Field: FieldPassthrough, Name: name, Err: ErrSecret,
			Detail: "matches secret rule " + rule,
			Hint:   "secrets cannot be passed into the sandbox; remove it from env_passthrough"}
	}
	if rule := loaderRule(name); rule != "" {
		return &PolicyError{Field: FieldPassthrough, Name: name, Err: ErrLoaderInjection,
			Detail: "matches " + rule + " and is never inherited",
			Hint:   "if the sandbox needs it, give it an explicit value with env_set"}
	}
	return nil
}

func validateStrip(pattern string) *PolicyError {
	if prob := globProblem(pattern); prob != "" {
		return &PolicyError{Field: FieldStrip, Name: shownName(pattern), Err: ErrInvalidName, Detail: prob}
	}
	return nil
}

func (p Policy) validateSet(name, value string) *PolicyError {
	if prob := nameProblem(name); prob != "" {
		return &PolicyError{Field: FieldSet, Name: shownName(name), Err: ErrInvalidName, Detail: prob}
	}
	if prob := valueProblem(value); prob != "" {
		return &PolicyError{Field: FieldSet, Name: name, Err: ErrInvalidValue, Detail: prob}
	}
	if !p.StripSecrets {
		return nil
	}
	if rule := secretNameRule(name); rule != "" {
		return &PolicyError{Field: FieldSet, Name: name, Err: ErrSecret,
			Detail: "the name matches secret rule " + rule,
			Hint:   "secrets cannot be set while env_strip_secrets is on"}
	}
	if rule := secretValueRule(name, value); rule != "" {
		return &PolicyError{Field: FieldSet, Name: name, Err: ErrSecret,
			Detail: "the value matches secret rule " + rule + " (value not shown)",
			Hint:   "secrets cannot be set while env_strip_secrets is on"}
	}
	return nil
}

// valueProblem says why value cannot be a Set value, or "" if it can.
func valueProblem(value string) string {
	switch {
	case len(value) > MaxValueBytes:
		return "the value is longer than 32768 bytes"
	case strings.IndexByte(value, 0) >= 0:
		return "the value contains a NUL byte"
	}
	return ""
}
