package linechan

import (
	"context"
	"fmt"
	"os"
	"time"
)

// turn is a mutex whose waiters give up at their deadline or cancellation:
// a call that is bounded stays bounded even while an unbounded call holds
// the channel.
type turn chan struct{}

func newTurn() turn { return make(turn, 1) }

// take waits for the turn until ctx is done. A ctx already done never
// gets it.
func (t turn) take(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case t <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// takeBy waits for the turn until the time d; the zero d means for ever.
func (t turn) takeBy(d time.Time) error {
	if d.IsZero() {
		t <- struct{}{}
		return nil
	}
	timer := time.NewTimer(time.Until(d))
	defer timer.Stop()
	select {
	case t <- struct{}{}:
		return nil
	case <-timer.C:
		return fmt.Errorf("procjail: waiting for a concurrent call: %w", os.ErrDeadlineExceeded)
	}
}

func (t turn) release() { <-t }
