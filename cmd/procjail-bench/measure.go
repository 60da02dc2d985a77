package main

import (
	"fmt"
	"time"
)

// samples are one contender's raw measurements.
type samples struct {
	spawn []time.Duration
	rtt   []time.Duration
}

// measure runs the warm-up rounds, then the measured ones. Round i starts
// with contender i mod len(runners), so no contender always goes first.
func measure(o options, runners []runner, res *result) error {
	raw := make([]samples, len(runners))
	for round := -o.warmup; round < o.rounds; round++ {
		for k := range runners {
			i := (k + max(round, 0)) % len(runners)
			s, err := measureOnce(runners[i], o.roundTrip, o.settle)
			if err != nil {
				return fmt.Errorf("%s, round %d: %w", runners[i].name, round, err)
			}
			if round >= 0 {
				raw[i].spawn = append(raw[i].spawn, s.spawn...)
				raw[i].rtt = append(raw[i].rtt, s.rtt...)
			}
		}
	}
	res.raw = raw
	return nil
}

// measureOnce starts one session, times its first reply, waits settle,
// then times rtts round trips, and closes it (not timed).
func measureOnce(r runner, rtts int, settle time.Duration) (samples, error) {
	var out samples
	t0 := time.Now()
	s, err := r.start()
	if err != nil {
		return out, err
	}
	defer s.close()
	if err := expect(s, "ready"); err != nil {
		return out, fmt.Errorf("first reply: %w", err)
	}
	out.spawn = append(out.spawn, time.Since(t0))
	time.Sleep(settle)
	for range rtts {
		t := time.Now()
		if err := s.send("ping"); err != nil {
			return out, fmt.Errorf("send: %w", err)
		}
		if err := expect(s, "ping"); err != nil {
			return out, fmt.Errorf("echo: %w", err)
		}
		out.rtt = append(out.rtt, time.Since(t))
	}
	return out, nil
}

func expect(s session, want string) error {
	line, err := s.recv()
	if err != nil {
		return err
	}
	if line != want {
		return fmt.Errorf("got %q, want %q", line, want)
	}
	return nil
}
