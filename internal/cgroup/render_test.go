package cgroup

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLimitWrites(t *testing.T) {
	const mib = 1 << 20
	tests := []struct {
		name string
		l    Limits
		r    Resource
		v2   bool
		want []fileWrite
	}{
		{"v2 memory, swap off", Limits{MemoryBytes: 256 * mib}, Memory, true, []fileWrite{
			{file: "memory.max", value: "268435456"},
			{file: "memory.swap.max", value: "0", optional: true},
		}},
		{"v1 memory: limit before memsw, swappiness 0", Limits{MemoryBytes: 256 * mib}, Memory, false, []fileWrite{
			{file: "memory.limit_in_bytes", value: "268435456"},
			{file: "memory.memsw.limit_in_bytes", value: "268435456", optional: true},
			{file: "memory.swappiness", value: "0", optional: true},
		}},
		{"no memory limit", Limits{Pids: 5}, Memory, true, nil},
		{"pids v2", Limits{Pids: 16}, Pids, true, []fileWrite{{file: "pids.max", value: "16"}}},
		{"pids v1", Limits{Pids: 16}, Pids, false, []fileWrite{{file: "pids.max", value: "16"}}},
		{"v2 cpu", Limits{CPUWeight: 50, CPUQuotaMilli: 1500}, CPU, true, []fileWrite{
			{file: "cpu.weight", value: "50"},
			{file: "cpu.max", value: "150000 100000"},
		}},
		{"v1 cpu", Limits{CPUWeight: 50, CPUQuotaMilli: 250}, CPU, false, []fileWrite{
			{file: "cpu.shares", value: "512"},
			{file: "cpu.cfs_period_us", value: "100000"},
			{file: "cpu.cfs_quota_us", value: "25000"},
		}},
		{"v1 quota only", Limits{CPUQuotaMilli: 1000}, CPU, false, []fileWrite{
			{file: "cpu.cfs_period_us", value: "100000"},
			{file: "cpu.cfs_quota_us", value: "100000"},
		}},
		{"CPU time is not a limit", Limits{MemoryBytes: 1}, CPUTime, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := limitWrites(tt.l, tt.r, tt.v2)
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(fileWrite{})); diff != "" {
				t.Errorf("limitWrites (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWeightToShares(t *testing.T) {
	for _, tt := range []struct{ w, want uint64 }{{100, 1024}, {1, 10}, {10000, 102400}, {0, 2}} {
		if got := weightToShares(tt.w); got != tt.want {
			t.Errorf("weightToShares(%d) = %d, want %d", tt.w, got, tt.want)
		}
	}
}

func TestLimitsValidateAndNeeds(t *testing.T) {
	tests := []struct {
		l       Limits
		wantErr bool
		needs   Resource
	}{
		{Limits{}, false, 0},
		{Limits{MemoryBytes: 1, Pids: 1}, false, Memory | Pids},
		{Limits{CPUWeight: 10000}, false, CPU},
		{Limits{CPUWeight: 10001}, true, CPU},
		{Limits{CPUQuotaMilli: 9}, true, CPU},
		{Limits{CPUQuotaMilli: 10}, false, CPU},
	}
	for _, tt := range tests {
		if err := tt.l.Validate(); (err != nil) != tt.wantErr {
			t.Errorf("%+v.Validate() = %v, want error %v", tt.l, err, tt.wantErr)
		}
		if got := tt.l.Needs(); got != tt.needs {
			t.Errorf("%+v.Needs() = %v, want %v", tt.l, got, tt.needs)
		}
	}
}

func TestResourceAndModeStrings(t *testing.T) {
	if got := (Memory | CPUTime).String(); got != "memory,cpu time" {
		t.Errorf("String = %q", got)
	}
	if got := Resource(0).String(); got != "none" {
		t.Errorf("String = %q", got)
	}
	for m, want := range map[Mode]string{None: "none", V1: "v1", Hybrid: "hybrid", V2: "v2"} {
		if m.String() != want {
			t.Errorf("Mode(%d).String() = %q, want %q", m, m.String(), want)
		}
	}
}
