package main

import "testing"

func TestParseSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"268435456", 268435456, true},
		{"256M", 256 << 20, true},
		{"256m", 256 << 20, true},
		{"256MiB", 256 << 20, true},
		{"256mb", 256 << 20, true},
		{"1G", 1 << 30, true},
		{"512K", 512 << 10, true},
		{"2T", 2 << 40, true},
		{"10b", 10, true},
		{" 1G ", 1 << 30, true},
		{"0", 0, true},
		{"", 0, false},
		{"M", 0, false},
		{"1.5G", 0, false},
		{"-1", 0, false},
		{"12X", 0, false},
		{"1GG", 0, false},
		{"20000000T", 0, false}, // overflows
		{"99999999999999999999", 0, false},
	} {
		got, err := parseSize(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("parseSize(%q) = %d, %v; want %d, ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestFormatSizeRoundTrips(t *testing.T) {
	for _, n := range []uint64{0, 1, 1023, 1024, 256 << 20, 50 << 20, 3 << 30, 1<<40 + 1} {
		s := formatSize(n)
		back, err := parseSize(s)
		if err != nil || back != n {
			t.Errorf("formatSize(%d) = %q, parses back to %d, %v", n, s, back, err)
		}
	}
	if got := formatSize(256 << 20); got != "256M" {
		t.Errorf("formatSize(256 MiB) = %q, want 256M", got)
	}
}

func FuzzParseSize(f *testing.F) {
	for _, s := range []string{"1G", "256M", "12", "9999999T"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := parseSize(s)
		if err != nil {
			return
		}
		if back, err := parseSize(formatSize(n)); err != nil || back != n {
			t.Fatalf("%q -> %d -> %q -> %d, %v", s, n, formatSize(n), back, err)
		}
	})
}
