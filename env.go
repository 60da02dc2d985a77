package procjail

import (
	"encoding/json"
	"errors"
	"slices"
	"sync"

	"github.com/procjail/procjail/internal/envpolicy"
)

func (c *Config) envPolicy() envpolicy.Policy {
	return envpolicy.Policy{
		Mode:         envpolicy.Mode(c.EnvMode.String()),
		Passthrough:  c.EnvPassthrough,
		Set:          c.EnvSet,
		Strip:        c.EnvStrip,
		StripSecrets: c.EnvStripSecrets,
	}
}

func (c *Config) validateEnv() error {
	if err := c.envPolicy().Validate(); err != nil {
		return &Error{Op: "config", Err: errors.Join(ErrInvalidConfig, err)}
	}
	return nil
}

// buildEnv computes the payload's environment from the caller's. The
// result is a pure function of both, and a caller spawning many sandboxes
// rarely changes either, so the last result is remembered.
func buildEnv(parent []string, c *Config) ([]string, error) {
	p := c.envPolicy()
	key, err := json.Marshal(struct {
		Parent []string
		Policy envpolicy.Policy
	}{parent, p})
	if err == nil {
		lastEnv.Lock()
		hit := lastEnv.key == string(key)
		env := lastEnv.env
		lastEnv.Unlock()
		if hit {
			return slices.Clone(env), nil
		}
	}
	env, err := envpolicy.Build(parent, p)
	if err != nil {
		return nil, &Error{Op: "spawn", Err: errors.Join(ErrInvalidConfig, err)}
	}
	lastEnv.Lock()
	lastEnv.key, lastEnv.env = string(key), env
	lastEnv.Unlock()
	return slices.Clone(env), nil
}

var lastEnv struct {
	sync.Mutex
	key string
	env []string
}

// EnvDecision says whether one variable reaches the sandbox and why.
type EnvDecision struct {
	Name   string `json:"name"`
	Kept   bool   `json:"kept"`
	Source string `json:"source"`
	Reason string `json:"reason"`
}

// ExplainEnv reports, for every variable of parent and of cfg.EnvSet,
// whether a sandbox built from cfg would get it and why. Values are never
// included. Use it to audit a configuration (procjail env does).
func ExplainEnv(parent []string, cfg Config) ([]EnvDecision, []string, error) {
	if err := cfg.validateEnv(); err != nil {
		return nil, nil, err
	}
	ds, err := envpolicy.Explain(parent, cfg.envPolicy())
	if err != nil {
		return nil, nil, err
	}
	out := make([]EnvDecision, len(ds))
	for i, d := range ds {
		out[i] = EnvDecision{Name: d.Name, Kept: d.Kept, Source: d.Source, Reason: d.Reason}
	}
	env, err := buildEnv(parent, &cfg)
	return out, env, err
}
