package envpolicy

import "testing"

func TestMatchGlob(t *testing.T) {
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{"MYCO_*", "MYCO_KEY_ID", true},
		{"MYCO_*", "myco_thing", true},
		{"myco_*", "MYCO_THING", true},
		{"MYCO_*", "MYCO_", true},
		{"MYCO_*", "MYCO", false},
		{"MYCO_*", "XMYCO_A", false},
		{"*_INTERNAL", "A_B_INTERNAL", true},
		{"*_INTERNAL", "A_INTERNAL_B", false},
		{"*SECRETISH*", "MY_SECRETISH_VALUE", true},
		{"A?C", "ABC", true},
		{"A?C", "AC", false},
		{"A?C", "ABBC", false},
		{"A*B*C", "AXXBYYBZC", true},
		{"A*B*C", "AXXBYYBZ", false},
		{"*", "", true},
		{"*", "anything/with/slashes", true},
		{"FOO/*", "FOO/bar/baz", true},
		{"EXACT", "EXACT", true},
		{"EXACT", "EXACTLY", false},
		{"**", "X", true},
		{"?", "\xff", true},
		{"\xff*", "\xffabc", true},
		{"", "", true},
		{"", "A", false},
	}
	for _, tt := range tests {
		if got := matchGlob(tt.pattern, tt.name); got != tt.want {
			t.Errorf("matchGlob(%q, %q) = %v, want %v", tt.pattern, tt.name, got, tt.want)
		}
	}
}

func TestGlobProblem(t *testing.T) {
	tests := []struct {
		pattern string
		bad     bool
	}{
		{"MYCO_*", false}, {"A?B", false}, {"*", false},
		{"", true}, {"A=B", true}, {"A B", true}, {"A\x00", true},
		{"AWS_[AB]*", true}, {`A\*`, true},
	}
	for _, tt := range tests {
		if got := globProblem(tt.pattern); (got != "") != tt.bad {
			t.Errorf("globProblem(%q) = %q, want a problem: %v", tt.pattern, got, tt.bad)
		}
	}
}
