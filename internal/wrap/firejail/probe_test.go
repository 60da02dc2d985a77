package firejail

import "testing"

func TestParseVersion(t *testing.T) {
	for _, tc := range []struct {
		out, want string
		ok        bool
	}{
		{"firejail version 0.9.72\n\nCompile time support:\n", "0.9.72", true},
		{"firejail version 0.10.0", "0.10.0", true},
		{"bubblewrap 0.8.0", "", false},
		{"", "", false},
	} {
		got, err := parseVersion(tc.out)
		if got != tc.want || (err == nil) != tc.ok {
			t.Errorf("parseVersion(%q) = %q, %v", tc.out, got, err)
		}
	}
}

func TestVersionAtLeast(t *testing.T) {
	for _, tc := range []struct {
		v    string
		want bool
	}{{"0.9.72", true}, {"0.9.74", true}, {"0.10.0", true}, {"0.9.70", false}, {"0.9.8", false}} {
		if got := versionAtLeast(tc.v, MinVersion); got != tc.want {
			t.Errorf("versionAtLeast(%q) = %v", tc.v, got)
		}
	}
}
