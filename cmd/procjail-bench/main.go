// Command procjail-bench measures what a procjail sandbox costs, side by
// side in one run: a bare os/exec of a shell harness, the same harness
// under procjail with each strategy this host runs, and under bubblewrap
// with comparable isolation when bwrap is installed. Rounds are
// interleaved (each round runs every contender once, in a rotating order),
// so the noise of a shared machine hits them all alike; compare the
// ratios, not the absolute times.
//
// For each contender it reports spawn-to-first-reply (start, then read the
// harness's first line) and the channel round trip (one line out, one line
// back, on the running harness): median, 95th percentile, and the ratio of
// the medians to bare exec and to bubblewrap.
//
//	procjail-bench            # 200 rounds, text table
//	procjail-bench -n 50 -json
//	procjail-bench -warm 0    # unshare spawns without procjail's warm pool
//
// It is an ordinary program importing procjail (which carries its own
// stage program): run it as any user (as root, the payload runs as an
// unprivileged uid).
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/procjail/procjail"
)

// options are the command-line flags.
type options struct {
	rounds    int
	warmup    int
	roundTrip int
	settle    time.Duration
	warm      int
	jsonOut   bool
	bwrap     string
}

func parseFlags() options {
	var o options
	flag.IntVar(&o.rounds, "n", 200, "measured rounds; each runs every contender once")
	flag.IntVar(&o.warmup, "warmup", 5, "rounds run first and discarded")
	flag.IntVar(&o.roundTrip, "rtt", 20, "round trips measured per contender per round")
	flag.DurationVar(&o.settle, "settle", 20*time.Millisecond, "pause between the first reply and the round trips, so they measure a running harness (not the work a spawn leaves in the background)")
	flag.IntVar(&o.warm, "warm", -1, "warm unshare stages procjail keeps ready (procjail.SetWarmStages); -1 keeps the library's default, 0 measures cold spawns")
	flag.BoolVar(&o.jsonOut, "json", false, "print JSON instead of a table")
	flag.StringVar(&o.bwrap, "bwrap", "bwrap", `bubblewrap binary; "" to leave it out`)
	flag.Parse()
	return o
}

func (o options) validate() error {
	if o.rounds < 1 || o.warmup < 0 || o.roundTrip < 1 || o.settle < 0 {
		return fmt.Errorf("-n and -rtt must be at least 1, -warmup and -settle at least 0 (got %d, %d, %d, %s)", o.rounds, o.roundTrip, o.warmup, o.settle)
	}
	return nil
}

func main() {
	o := parseFlags()
	if err := o.validate(); err != nil {
		fail(err)
	}
	res, err := run(o)
	if err != nil {
		fail(err)
	}
	if o.jsonOut {
		err = writeJSON(os.Stdout, res)
	} else {
		err = writeTable(os.Stdout, res)
	}
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "procjail-bench:", err)
	os.Exit(1)
}

// run sets up the harness and the contenders, then measures them.
func run(o options) (*result, error) {
	dir, harness, err := writeHarness()
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if o.warm >= 0 {
		procjail.SetWarmStages(o.warm)
	}
	res := newResult(o)
	runners, skipped := contenders(o, dir, harness)
	res.Skipped = skipped
	for _, r := range runners {
		if r.name == "bwrap" {
			res.BwrapCommand = bwrapCommand(dir)
		}
	}
	start := time.Now()
	if err := measure(o, runners, res); err != nil {
		return nil, err
	}
	res.Elapsed = time.Since(start).Round(time.Millisecond).String()
	res.summarise(runners)
	return res, nil
}
