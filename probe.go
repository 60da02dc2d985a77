package procjail

// Feature is one mechanism of the host, as probed.
type Feature struct {
	Available bool   `json:"available"`
	Detail    string `json:"detail,omitempty"` // what was found (a version, an ABI)
	Reason    string `json:"reason,omitempty"` // why not, when not available
	Hint      string `json:"hint,omitempty"`   // how to get it
}

// Capabilities is what this host can enforce, probed functionally (by
// running the same setup a sandbox uses) once per process.
type Capabilities struct {
	UserNamespaces Feature `json:"user_namespaces"`
	Seccomp        Feature `json:"seccomp"`
	Landlock       Feature `json:"landlock"`
	Pidfd          Feature `json:"pidfd"`
	Bubblewrap     Feature `json:"bubblewrap"`
	Firejail       Feature `json:"firejail"`
	CgroupV2       Feature `json:"cgroup_v2"`
	CgroupV1       Feature `json:"cgroup_v1"`
	// Strategies says, for each concrete strategy, whether it runs here.
	Strategies map[string]Feature `json:"strategies"`
	// Best is the strategy Auto selects.
	Best Strategy `json:"best"`
}

func (c *Capabilities) runnable(s Strategy) (bool, string) {
	f, ok := c.Strategies[s.String()]
	if !ok {
		return false, "not probed"
	}
	if f.Available {
		return true, ""
	}
	return false, f.Reason
}

// AvailableStrategy returns the strategy Auto selects on this host.
func AvailableStrategy() Strategy { return ProbeCapabilities().Best }
