//go:build !linux

package procjail

func (j *job) spawn() (*Process, error) {
	return nil, &Error{Op: "spawn", Err: ErrNotSupported, Hint: "procjail sandboxes only on Linux"}
}

// ProbeCapabilities reports that nothing can be enforced on this OS.
func ProbeCapabilities() Capabilities {
	no := Feature{Reason: "procjail sandboxes only on Linux"}
	c := Capabilities{UserNamespaces: no, Seccomp: no, Landlock: no, Pidfd: no, Bubblewrap: no, Firejail: no, CgroupV2: no, CgroupV1: no,
		Strategies: map[string]Feature{}, Best: Rlimits}
	for _, s := range Strategies {
		c.Strategies[s.String()] = no
	}
	return c
}

func sandboxEnded(Strategy) {}

// SetWarmStages does nothing on this OS: there are no sandboxes to keep
// ready.
func SetWarmStages(n int) {}

type sandboxGroup struct{}
