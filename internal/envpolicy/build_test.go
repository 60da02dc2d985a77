package envpolicy

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var (
	ghToken    = "ghp_" + strings.Repeat("Q", 36)
	awsSecret  = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	proxyCreds = "http://user:hunter2@proxy.example:3128"
)

// testParent is a caller environment with ordinary variables, secrets by
// name and by value, loader variables, Strip candidates, a duplicate,
// malformed entries and bytes that are not UTF-8.
var testParent = []string{
	"PATH=/usr/bin:/bin",
	"HOME=/home/u",
	"LANG=C.UTF-8",
	"NODE_PATH=/usr/lib/node_modules",
	"TOKENIZERS_PARALLELISM=false",
	"GITHUB_TOKEN=" + ghToken,
	"github_token=lowercase-" + ghToken,
	"AWS_REGION=eu-west-1",
	"AWS_SECRET_ACCESS_KEY=" + awsSecret,
	"HTTPS_PROXY=" + proxyCreds,
	"GREETING=hello " + ghToken,
	"LD_PRELOAD=/home/u/hook.so",
	"NODE_OPTIONS=--require /home/u/hook.js",
	"MYCO_INTERNAL=1",
	"myco_other=2",
	"DUP=first",
	"DUP=second",
	"EQ=a=b=c",
	"EMPTY=",
	"BYTES\xff=\xfe\xff",
	"malformed-without-equals " + ghToken,
	"=" + ghToken,
	"NUL=a\x00" + ghToken,
}

func TestBuild(t *testing.T) {
	tests := []struct {
		desc string
		p    Policy
		want []string
	}{
		{
			desc: "strip-secrets drops secrets by name and value, loader variables and Strip; Set last",
			p: Policy{StripSecrets: true, Strip: []string{"MYCO_*"},
				Set: map[string]string{"LANG": "C", "LD_PRELOAD": "/sandbox/ok.so"}},
			want: []string{"AWS_REGION=eu-west-1", "BYTES\xff=\xfe\xff", "DUP=second", "EMPTY=", "EQ=a=b=c",
				"HOME=/home/u", "LANG=C", "LD_PRELOAD=/sandbox/ok.so", "NODE_PATH=/usr/lib/node_modules",
				"PATH=/usr/bin:/bin", "TOKENIZERS_PARALLELISM=false"},
		},
		{
			desc: "strip-secrets without Strip",
			p:    DefaultPolicy(),
			want: []string{"AWS_REGION=eu-west-1", "BYTES\xff=\xfe\xff", "DUP=second", "EMPTY=", "EQ=a=b=c",
				"HOME=/home/u", "LANG=C.UTF-8", "MYCO_INTERNAL=1", "NODE_PATH=/usr/lib/node_modules",
				"PATH=/usr/bin:/bin", "TOKENIZERS_PARALLELISM=false", "myco_other=2"},
		},
		{
			desc: "allowlist keeps only listed, present, non-secret, non-stripped names",
			p: Policy{Mode: ModeAllowlist, StripSecrets: true,
				Passthrough: []string{"PATH", "HOME", "HTTPS_PROXY", "GREETING", "MISSING", "MYCO_INTERNAL", "DUP", "BYTES\xff"},
				Strip:       []string{"myco_*"}, Set: map[string]string{"EXTRA": "1"}},
			want: []string{"BYTES\xff=\xfe\xff", "DUP=second", "EXTRA=1", "HOME=/home/u", "PATH=/usr/bin:/bin"},
		},
		{
			desc: "allowlist passthrough is exact: case matters",
			p:    Policy{Mode: ModeAllowlist, StripSecrets: true, Passthrough: []string{"path", "Home"}},
			want: []string{},
		},
		{
			desc: "allowlist with secret rules off passes a listed secret",
			p:    Policy{Mode: ModeAllowlist, Passthrough: []string{"GITHUB_TOKEN", "HTTPS_PROXY", "PATH"}},
			want: []string{"GITHUB_TOKEN=" + ghToken, "HTTPS_PROXY=" + proxyCreds, "PATH=/usr/bin:/bin"},
		},
		{
			desc: "allowlist of nothing gives an empty, non-nil environment",
			p:    Policy{Mode: ModeAllowlist, StripSecrets: true},
			want: []string{},
		},
		{
			desc: "allowlist: Set overrides Strip and adds a loader variable",
			p: Policy{Mode: ModeAllowlist, StripSecrets: true, Strip: []string{"*"}, Passthrough: []string{"PATH"},
				Set: map[string]string{"PATH": "/sandbox/bin", "NODE_OPTIONS": "--jitless"}},
			want: []string{"NODE_OPTIONS=--jitless", "PATH=/sandbox/bin"},
		},
		{
			desc: "blocklist drops only Strip (any case) and loader variables",
			p:    Policy{Mode: ModeBlocklist, Strip: []string{"GITHUB_TOKEN", "MYCO_*", "DUP"}},
			want: []string{"AWS_REGION=eu-west-1", "AWS_SECRET_ACCESS_KEY=" + awsSecret, "BYTES\xff=\xfe\xff",
				"EMPTY=", "EQ=a=b=c", "GREETING=hello " + ghToken, "HOME=/home/u", "HTTPS_PROXY=" + proxyCreds,
				"LANG=C.UTF-8", "NODE_PATH=/usr/lib/node_modules", "PATH=/usr/bin:/bin",
				"TOKENIZERS_PARALLELISM=false"},
		},
		{
			desc: "blocklist may set a secret",
			p:    Policy{Mode: ModeBlocklist, Strip: []string{"*"}, Set: map[string]string{"GITHUB_TOKEN": "explicit"}},
			want: []string{"GITHUB_TOKEN=explicit"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			got, err := Build(testParent, tt.p)
			if err != nil {
				t.Fatalf("Build: %v", err)
			}
			if got == nil {
				t.Fatal("Build returned nil; os/exec would inherit the whole environment")
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Build (-want +got):\n%s", diff)
			}
		})
	}
}

// TestModesDiffer pins the original's defect: blocklist must not behave like
// strip-secrets.
func TestModesDiffer(t *testing.T) {
	parent := []string{"GITHUB_TOKEN=x", "PATH=/bin"}
	strip, err := Build(parent, DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	block, err := Build(parent, Policy{Mode: ModeBlocklist})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(strip, []string{"PATH=/bin"}) || !slices.Equal(block, []string{"GITHUB_TOKEN=x", "PATH=/bin"}) {
		t.Errorf("strip-secrets gave %q, blocklist gave %q", strip, block)
	}
}

func TestBuildInvalidPolicy(t *testing.T) {
	got, err := Build(testParent, Policy{Mode: ModeAllowlist, StripSecrets: true, Passthrough: []string{"GITHUB_TOKEN"}})
	if err == nil || got != nil {
		t.Fatalf("Build = %q, %v; want nil and an error", got, err)
	}
	if _, err := Explain(testParent, Policy{}); err == nil {
		t.Fatal("Explain accepted the zero policy")
	}
}

func TestBuildIsDeterministic(t *testing.T) {
	parent := slices.DeleteFunc(slices.Clone(testParent), func(kv string) bool { return strings.HasPrefix(kv, "DUP=") })
	p := Policy{StripSecrets: true, Set: map[string]string{"A": "1", "Z": "2", "M": "3"}}
	want, err := Build(parent, p)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20; i++ {
		rng.Shuffle(len(parent), func(a, b int) { parent[a], parent[b] = parent[b], parent[a] })
		got, err := Build(parent, p)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("order-dependent result (-first +now):\n%s", diff)
		}
	}
}

func TestBuildDoesNotModifyInputs(t *testing.T) {
	parent := slices.Clone(testParent)
	p := Policy{Mode: ModeAllowlist, StripSecrets: true, Passthrough: []string{"PATH"},
		Strip: []string{"X*"}, Set: map[string]string{"A": "1"}}
	if _, err := Build(parent, p); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(parent, testParent) || !slices.Equal(p.Passthrough, []string{"PATH"}) ||
		len(p.Set) != 1 || !slices.Equal(p.Strip, []string{"X*"}) {
		t.Error("Build modified its inputs")
	}
}
