package envpolicy

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Sources of a [Decision].
const (
	// SourceInherited: the variable comes from the caller's environment.
	SourceInherited = "inherited"
	// SourcePassthrough: the name is listed in Passthrough in allowlist mode.
	SourcePassthrough = "passthrough"
	// SourceSet: the variable comes from Set.
	SourceSet = "set"
)

// Decision says what happens to one variable name, and why. It never holds
// a value.
type Decision struct {
	// Name is the variable name; empty for a malformed entry of the
	// caller's environment (which is not shown, as it may hold a value).
	Name string `json:"name"`
	// Kept is true when the name is in the sandbox environment.
	Kept bool `json:"kept"`
	// Source is SourceInherited, SourcePassthrough or SourceSet.
	Source string `json:"source"`
	// Rule identifies what decided: a secret rule ("known-name",
	// "pattern:TOKEN", "value:url-credentials"...), a loader rule
	// ("loader:LD_*"), "strip:<pattern>", "not-listed" (allowlist mode),
	// "absent" (a Passthrough name the caller does not have), "malformed",
	// or, for kept names, "inherited", "passthrough" or "set".
	Rule string `json:"rule"`
	// Reason says the same in words.
	Reason string `json:"reason"`
}

// Build returns the environment a sandboxed process gets under policy p,
// given the caller's environment parent: "NAME=value" entries sorted by name,
// each name once. The result is never nil, even when empty (a nil Env in
// os/exec would mean "inherit everything"). An invalid policy returns the
// [Policy.Validate] error and no environment.
func Build(parent []string, p Policy) ([]string, error) {
	env, _, err := evaluate(parent, p)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(env))
	for _, name := range slices.Sorted(maps.Keys(env)) {
		out = append(out, name+"="+env[name])
	}
	return out, nil
}

// Explain returns one [Decision] per name of the caller's environment, per
// Passthrough name and per Set name, sorted by name, with one unnamed
// decision per malformed entry first. Its kept names are exactly the names
// [Build] returns. An invalid policy returns the [Policy.Validate] error.
func Explain(parent []string, p Policy) ([]Decision, error) {
	_, decisions, err := evaluate(parent, p)
	return decisions, err
}

// evaluate is the single implementation behind Build and Explain, so that
// the two can never disagree.
func evaluate(parent []string, p Policy) (map[string]string, []Decision, error) {
	if err := p.Validate(); err != nil {
		return nil, nil, err
	}
	vars, malformed := parseParent(parent)
	env := map[string]string{}
	byName := map[string]Decision{}
	listed := listedSet(p)
	for name, value := range vars {
		d := p.judgeInherited(name, value, listed[name])
		if d.Kept {
			env[name] = value
		}
		byName[name] = d
	}
	for name := range listed {
		if _, ok := vars[name]; !ok {
			byName[name] = absent(name)
		}
	}
	for name, value := range p.Set {
		_, inherited := vars[name]
		env[name] = value
		byName[name] = setDecision(name, inherited)
	}
	return env, sortedDecisions(malformed, byName), nil
}

// parseParent indexes the caller's environment by name (the last entry for
// a name wins, as in os/exec) and counts the malformed entries.
func parseParent(parent []string) (vars map[string]string, malformed int) {
	vars = make(map[string]string, len(parent))
	for _, kv := range parent {
		name, value, ok := splitEntry(kv)
		if !ok {
			malformed++
			continue
		}
		vars[name] = value
	}
	return vars, malformed
}

func listedSet(p Policy) map[string]bool {
	m := make(map[string]bool, len(p.Passthrough))
	for _, name := range p.Passthrough {
		m[name] = true
	}
	return m
}

// judgeInherited decides one variable of the caller's environment; listed
// says whether its name is in Passthrough.
func (p Policy) judgeInherited(name, value string, listed bool) Decision {
	d := Decision{Name: name, Source: SourceInherited}
	if p.mode() == ModeAllowlist {
		if !listed {
			return d.drop("not-listed", "allowlist mode and not listed in env_passthrough")
		}
		d.Source = SourcePassthrough
	}
	if rule, reason := p.dropRule(name, value); rule != "" {
		return d.drop(rule, reason)
	}
	return d.keep()
}

// dropRule returns the rule that drops an inherited variable, and why, or
// "" if none does. Strip is reported first, as the caller's own choice.
func (p Policy) dropRule(name, value string) (rule, reason string) {
	if pat := matchStrip(p.Strip, name); pat != "" {
		return "strip:" + pat, fmt.Sprintf("matches env_strip pattern %q", pat)
	}
	if secret, rule := p.secretRule(name, value); secret {
		return rule, secretReason(rule)
	}
	if rule := loaderRule(name); rule != "" {
		return rule, "loader-injection variable: never inherited; only env_set can pass it"
	}
	return "", ""
}

// secretRule is SecretRule when the policy applies the secret rules, and
// never matches otherwise.
func (p Policy) secretRule(name, value string) (bool, string) {
	if !p.StripSecrets {
		return false, ""
	}
	return SecretRule(name, value)
}

func secretReason(rule string) string {
	if strings.HasPrefix(rule, "value:") {
		return "secret: the value matches rule " + rule + " (value not shown)"
	}
	return "secret: the name matches rule " + rule
}

func (d Decision) drop(rule, reason string) Decision {
	d.Kept, d.Rule, d.Reason = false, rule, reason
	return d
}

func (d Decision) keep() Decision {
	d.Kept, d.Rule = true, d.Source
	if d.Source == SourcePassthrough {
		d.Reason = "listed in env_passthrough"
	} else {
		d.Reason = "inherited from the caller; no rule drops it"
	}
	return d
}

func absent(name string) Decision {
	return Decision{Name: name, Source: SourcePassthrough, Rule: "absent",
		Reason: "listed in env_passthrough but not set in the caller's environment"}
}

func setDecision(name string, inherited bool) Decision {
	reason := "set by env_set"
	if inherited {
		reason += "; replaces the caller's value"
	}
	if LoaderInjection(name) {
		reason += "; a loader-injection variable, passed only because it is set explicitly"
	}
	return Decision{Name: name, Kept: true, Source: SourceSet, Rule: "set", Reason: reason}
}

// sortedDecisions lists the malformed entries first, then byName by name.
func sortedDecisions(malformed int, byName map[string]Decision) []Decision {
	out := make([]Decision, 0, malformed+len(byName))
	for range malformed {
		out = append(out, Decision{Source: SourceInherited, Rule: "malformed",
			Reason: "malformed entry in the caller's environment (no '=', empty name, or a NUL byte); not shown"})
	}
	for _, name := range slices.Sorted(maps.Keys(byName)) {
		out = append(out, byName[name])
	}
	return out
}
