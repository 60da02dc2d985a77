package bwrap

import "testing"

func TestParseVersion(t *testing.T) {
	for _, tc := range []struct {
		out, want string
		ok        bool
	}{
		{"bubblewrap 0.8.0\n", "0.8.0", true},
		{"bubblewrap 0.11.0", "0.11.0", true},
		{"", "", false},
		{"firejail version 0.9.72", "", false},
		{"bubblewrap", "", false},
	} {
		got, err := parseVersion(tc.out)
		if got != tc.want || (err == nil) != tc.ok {
			t.Errorf("parseVersion(%q) = %q, %v", tc.out, got, err)
		}
	}
}

func TestVersionAtLeast(t *testing.T) {
	for _, tc := range []struct {
		v, min string
		want   bool
	}{
		{"0.8.0", "0.8.0", true}, {"0.10.0", "0.8.0", true}, {"0.7.9", "0.8.0", false},
		{"1.0", "0.8.0", true}, {"0.8", "0.8.0", true}, {"0.4.0", "0.8.0", false}, {"x", "0.8.0", false},
	} {
		if got := versionAtLeast(tc.v, tc.min); got != tc.want {
			t.Errorf("versionAtLeast(%q, %q) = %v", tc.v, tc.min, got)
		}
	}
}
