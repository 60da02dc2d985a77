package envpolicy_test

import (
	"fmt"

	"github.com/procjail/procjail/internal/envpolicy"
)

func ExampleBuild() {
	parent := []string{ // normally os.Environ()
		"PATH=/usr/bin:/bin",
		"HOME=/home/dev",
		"GITHUB_TOKEN=ghp_0123456789abcdefghijklmnopqrstuvwxyz",
		"LD_PRELOAD=/home/dev/hook.so",
		"HTTPS_PROXY=http://dev:hunter2@proxy.internal:3128",
	}
	p := envpolicy.DefaultPolicy()
	p.Set = map[string]string{"HOME": "/work"}
	env, err := envpolicy.Build(parent, p)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, kv := range env {
		fmt.Println(kv)
	}
	// Output:
	// HOME=/work
	// PATH=/usr/bin:/bin
}

func ExampleExplain() {
	parent := []string{"PATH=/bin", "NPM_TOKEN=npm_x", "NODE_OPTIONS=--inspect", "LANG=C"}
	p := envpolicy.Policy{
		Mode:         envpolicy.ModeAllowlist,
		StripSecrets: true,
		Passthrough:  []string{"PATH", "TERM"},
	}
	decisions, err := envpolicy.Explain(parent, p)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range decisions {
		fmt.Printf("%-12s kept=%-5v %s\n", d.Name, d.Kept, d.Reason)
	}
	// Output:
	// LANG         kept=false allowlist mode and not listed in env_passthrough
	// NODE_OPTIONS kept=false allowlist mode and not listed in env_passthrough
	// NPM_TOKEN    kept=false allowlist mode and not listed in env_passthrough
	// PATH         kept=true  listed in env_passthrough
	// TERM         kept=false listed in env_passthrough but not set in the caller's environment
}

func ExamplePolicy_Validate() {
	p := envpolicy.Policy{
		Mode:         envpolicy.ModeAllowlist,
		StripSecrets: true,
		Passthrough:  []string{"PATH", "GITHUB_TOKEN", "LD_PRELOAD"},
	}
	fmt.Println(p.Validate())
	// Output:
	// env_passthrough "GITHUB_TOKEN": secret variable: matches secret rule known-name; secrets cannot be passed into the sandbox; remove it from env_passthrough
	// env_passthrough "LD_PRELOAD": loader-injection variable: matches loader:LD_* and is never inherited; if the sandbox needs it, give it an explicit value with env_set
}
