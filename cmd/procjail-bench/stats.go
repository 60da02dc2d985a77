package main

import (
	"os"
	"runtime"
	"slices"
	"strings"
	"time"
)

// stat summarises one series of samples.
type stat struct {
	N      int           `json:"n"`
	Median time.Duration `json:"median_ns"`
	P95    time.Duration `json:"p95_ns"`
	// VsBare and VsBwrap are this median over bare exec's and bwrap's
	// medians from the same run (0 when that contender did not run).
	VsBare  float64 `json:"vs_bare,omitempty"`
	VsBwrap float64 `json:"vs_bwrap,omitempty"`
}

// contender is one contender's summary.
type contender struct {
	Name      string `json:"name"`
	Spawn     stat   `json:"spawn_to_first_reply"`
	RoundTrip stat   `json:"round_trip"`
}

// skip is a contender that did not run, and why.
type skip struct {
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

// host describes the machine.
type host struct {
	Kernel string `json:"kernel"`
	Arch   string `json:"arch"`
	CPUs   int    `json:"cpus"`
	UID    int    `json:"uid"`
	Go     string `json:"go"`
}

// result is the whole report.
type result struct {
	Date         string      `json:"date"`
	Host         host        `json:"host"`
	Rounds       int         `json:"rounds"`
	Warmup       int         `json:"warmup_rounds"`
	RoundTrips   int         `json:"round_trips_per_round"`
	Settle       string      `json:"settle"`
	WarmStages   int         `json:"warm_stages"` // -1: the library's default
	Elapsed      string      `json:"elapsed"`
	BwrapCommand string      `json:"bwrap_command,omitempty"`
	Contenders   []contender `json:"contenders"`
	Skipped      []skip      `json:"skipped,omitempty"`
	raw          []samples
}

func newResult(o options) *result {
	return &result{
		Date:   time.Now().UTC().Format(time.RFC3339),
		Host:   host{Kernel: kernel(), Arch: runtime.GOARCH, CPUs: runtime.NumCPU(), UID: os.Getuid(), Go: runtime.Version()},
		Rounds: o.rounds, Warmup: o.warmup, RoundTrips: o.roundTrip,
		Settle: o.settle.String(), WarmStages: o.warm,
	}
}

func kernel() string {
	b, err := os.ReadFile("/proc/sys/kernel/osrelease")
	if err != nil {
		return runtime.GOOS
	}
	return runtime.GOOS + " " + strings.TrimSpace(string(b))
}

// summarise computes every contender's stats and the ratios.
func (r *result) summarise(runners []runner) {
	r.Contenders = make([]contender, len(runners))
	for i, rn := range runners {
		r.Contenders[i] = contender{Name: rn.name, Spawn: summary(r.raw[i].spawn), RoundTrip: summary(r.raw[i].rtt)}
	}
	bare, bw := r.find("bare"), r.find("bwrap")
	for i := range r.Contenders {
		c := &r.Contenders[i]
		c.Spawn.VsBare, c.Spawn.VsBwrap = ratio(c.Spawn, bare, spawnOf), ratio(c.Spawn, bw, spawnOf)
		c.RoundTrip.VsBare, c.RoundTrip.VsBwrap = ratio(c.RoundTrip, bare, rttOf), ratio(c.RoundTrip, bw, rttOf)
	}
}

func (r *result) find(name string) *contender {
	for i := range r.Contenders {
		if r.Contenders[i].Name == name {
			return &r.Contenders[i]
		}
	}
	return nil
}

func spawnOf(c *contender) stat { return c.Spawn }
func rttOf(c *contender) stat   { return c.RoundTrip }

func ratio(s stat, base *contender, pick func(*contender) stat) float64 {
	if base == nil || pick(base).Median == 0 {
		return 0
	}
	return float64(s.Median) / float64(pick(base).Median)
}

// summary returns the median and the 95th percentile (nearest rank).
func summary(d []time.Duration) stat {
	if len(d) == 0 {
		return stat{}
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return stat{N: len(s), Median: percentile(s, 50), P95: percentile(s, 95)}
}

func percentile(sorted []time.Duration, p int) time.Duration {
	if p == 50 && len(sorted)%2 == 0 {
		return (sorted[len(sorted)/2-1] + sorted[len(sorted)/2]) / 2
	}
	rank := (p*len(sorted) + 99) / 100 // ceil(p/100 * n)
	return sorted[max(rank-1, 0)]
}
