package cgroup

import (
	"testing"
	"time"
)

func TestLeafNameRoundTrip(t *testing.T) {
	o := owner{pidns: 4026531836, pid: 4242, start: 987654}
	for _, name := range []string{"job1", "a-b-c", "x.y_z", "7"} {
		leaf := leafName(o, name)
		got, gotName, ok := parseLeafName(leaf)
		if !ok || got != o || gotName != name {
			t.Errorf("parseLeafName(%q) = %+v, %q, %v; want %+v, %q", leaf, got, gotName, ok, o, name)
		}
	}
}

func TestParseLeafNameRejects(t *testing.T) {
	for _, s := range []string{
		"", "job1", "pj-", "pj-1-2-3", "pj-x-2-3-n", "pj-1-0-3-n", "pj-1-2-3-", "pj-1-2-3-a/b", "pj-1--2-3-n",
		"process_api", "cgroup.procs",
	} {
		if _, _, ok := parseLeafName(s); ok {
			t.Errorf("parseLeafName(%q) accepted", s)
		}
	}
}

func TestCheckName(t *testing.T) {
	long := string(make([]byte, 65))
	for _, tt := range []struct {
		name string
		ok   bool
	}{{"job-1.a_b", true}, {"", false}, {"a/b", false}, {"..", true}, {"a b", false}, {long, false}} {
		if err := checkName(tt.name); (err == nil) != tt.ok {
			t.Errorf("checkName(%q) = %v, want ok %v", tt.name, err, tt.ok)
		}
	}
}

func TestParseStartTime(t *testing.T) {
	stat := "4242 (we (ird) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 1 0 987654 1000 100 18446744073709551615"
	got, err := parseStartTime([]byte(stat))
	if err != nil || got != 987654 {
		t.Errorf("parseStartTime = %d, %v; want 987654", got, err)
	}
	for _, bad := range []string{"", "1 (x) S 1 2", "no paren at all"} {
		if _, err := parseStartTime([]byte(bad)); err == nil {
			t.Errorf("parseStartTime(%q) accepted", bad)
		}
	}
}

func TestNextCPUCheck(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		used, limit time.Duration
		cpus        int
		want        time.Duration
	}{
		{0, 10 * time.Second, 2, 5 * time.Second},
		{9 * time.Second, 10 * time.Second, 4, 250 * ms},
		{10*time.Second - ms, 10 * time.Second, 1, MinCPUCheck},
		{10 * time.Second, 10 * time.Second, 2, 0},
		{11 * time.Second, 10 * time.Second, 2, 0},
		{0, time.Second, 0, time.Second},
	}
	for _, tt := range tests {
		if got := NextCPUCheck(tt.used, tt.limit, tt.cpus); got != tt.want {
			t.Errorf("NextCPUCheck(%v, %v, %d) = %v, want %v", tt.used, tt.limit, tt.cpus, got, tt.want)
		}
	}
}
