package linechan

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"
)

// longAgo is a deadline in the past: setting it wakes a blocked read or
// write at once.
var longAgo = time.Unix(1, 0)

// deadline applies deadlines and contexts to one direction of a file
// through its SetReadDeadline or SetWriteDeadline. It is used only by the
// call holding the owner's turn.
type deadline struct {
	set   func(time.Time) error
	what  string // "read" or "write", for error messages
	armed bool   // a deadline may be set on the file
}

// at sets deadline t for the next call; the zero t means none. A file that
// never had a deadline is left alone, so that a file that cannot take one
// still works without.
func (d *deadline) at(t time.Time) error {
	return d.apply(t, false)
}

// apply is at, forced to call set when force is true; the file then counts
// as having a deadline.
func (d *deadline) apply(t time.Time, force bool) error {
	if t.IsZero() && !d.armed && !force {
		return nil
	}
	if err := d.set(t); err != nil {
		return fmt.Errorf("procjail: set %s deadline: %w (the channel needs a pollable file, such as one from os.Pipe)", d.what, err)
	}
	d.armed = force || !t.IsZero()
	return nil
}

// bind applies ctx to the next call: its deadline, and its cancellation as
// a deadline in the past. The returned release must be called once the call
// has returned; it waits for a concurrent cancellation to finish setting its
// deadline, so that it cannot leak into the next call.
func (d *deadline) bind(ctx context.Context) (release func(), err error) {
	t, _ := ctx.Deadline()
	cancellable := ctx.Done() != nil
	// A cancellable call always calls set: a file that cannot take a
	// deadline must fail now, not ignore the cancellation and block for ever.
	if err := d.apply(t, cancellable); err != nil {
		return nil, err
	}
	if !cancellable {
		return func() {}, nil
	}
	fired := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		_ = d.set(longAgo) // the file was shown to take deadlines above
		close(fired)
	})
	return func() {
		if !stop() {
			<-fired
		}
	}, nil
}

// ctxError turns the timeout of a call bound to ctx into ctx's error.
// Other errors are returned unchanged.
func ctxError(ctx context.Context, err error) error {
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		return err
	}
	if cerr := ctx.Err(); cerr != nil {
		return cerr
	}
	if _, ok := ctx.Deadline(); ok {
		// The file's timer fired just before the context's.
		return context.DeadlineExceeded
	}
	return err
}
