package envpolicy

import (
	"errors"
	"strings"
	"testing"
)

// FuzzBuild checks Build's invariants on arbitrary inputs: it never panics;
// an invalid policy gives an error and no environment; otherwise every entry
// is "NAME=value" with a non-empty name, names are unique and sorted, no
// entry is a secret when StripSecrets is on, a loader-injection variable
// appears only if Set names it, and Explain keeps exactly the same names.
func FuzzBuild(f *testing.F) {
	f.Add(strings.Join(testParent, "\n"), uint8(0), true, "PATH\nHOME", "MYCO_*", "LANG", "C")
	f.Add("GITHUB_TOKEN=x\nPATH=/bin\nLD_PRELOAD=/x", uint8(1), true, "PATH\nGITHUB_TOKEN", "", "LD_PRELOAD", "/y")
	f.Add("A=1\nA=2\n=3\nB", uint8(2), false, "", "*", "A", "")
	f.Add("HTTPS_PROXY=http://u:p@h\nX=ghp_"+strings.Repeat("a", 36), uint8(1), true, "HTTPS_PROXY\nX", "", "", "")
	f.Add("\xff=\xff\nx\x00=y", uint8(3), true, "\xff", "?", "\xfe", "\xfd")
	f.Fuzz(func(t *testing.T, parentBlob string, mode uint8, stripSecrets bool, pass, strip, setName, setValue string) {
		p := Policy{
			Mode:         []Mode{"", ModeStripSecrets, ModeAllowlist, ModeBlocklist}[mode%4],
			StripSecrets: stripSecrets,
			Passthrough:  splitNonEmpty(pass),
			Strip:        splitNonEmpty(strip),
		}
		if setName != "" {
			p.Set = map[string]string{setName: setValue}
		}
		parent := strings.Split(parentBlob, "\n")
		env, err := Build(parent, p)
		if err != nil {
			var pe *PolicyError
			if env != nil || !errors.As(err, &pe) || p.Validate() == nil {
				t.Fatalf("Build = %q, %v; want nil and Validate's error", env, err)
			}
			return
		}
		checkEnv(t, env, p)
		checkExplain(t, parent, p, env)
	})
}

func splitNonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func checkEnv(t *testing.T, env []string, p Policy) {
	t.Helper()
	if env == nil {
		t.Fatal("nil environment")
	}
	prev := ""
	for i, kv := range env {
		name, value, ok := strings.Cut(kv, "=")
		if !ok || name == "" || strings.IndexByte(kv, 0) >= 0 {
			t.Fatalf("malformed entry %q", kv)
		}
		if i > 0 && name <= prev {
			t.Fatalf("names not unique and sorted: %q then %q", prev, name)
		}
		prev = name
		_, set := p.Set[name]
		if secret, rule := SecretRule(name, value); p.StripSecrets && secret {
			t.Fatalf("secret %q (rule %s) in the environment", name, rule)
		}
		if LoaderInjection(name) && !set {
			t.Fatalf("loader variable %q not in Set", name)
		}
		if set && p.Set[name] != value {
			t.Fatalf("%q = %q, Set says %q", name, value, p.Set[name])
		}
	}
}

func checkExplain(t *testing.T, parent []string, p Policy, env []string) {
	t.Helper()
	decisions, err := Explain(parent, p)
	if err != nil {
		t.Fatalf("Build accepted the policy, Explain did not: %v", err)
	}
	var kept []string
	for _, d := range decisions {
		if d.Kept {
			kept = append(kept, d.Name+"=")
		}
	}
	if len(kept) != len(env) {
		t.Fatalf("Explain keeps %d names, Build returns %d", len(kept), len(env))
	}
	for i := range kept {
		if !strings.HasPrefix(env[i], kept[i]) {
			t.Fatalf("Explain keeps %q where Build has %q", kept[i], env[i])
		}
	}
}
