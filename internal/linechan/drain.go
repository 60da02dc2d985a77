package linechan

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
)

// DefaultDrainLimit is the number of stderr bytes a capturing [Drain] keeps
// when given no limit: 64 KiB from the start of the stream and 192 KiB from
// its end.
const DefaultDrainLimit = 256 << 10

// drainChunk is the size of one read from the child's stderr.
const drainChunk = 32 << 10

// Drain empties the child's stderr continuously, so that a child writing
// without end never blocks on a full pipe, and keeps a bounded capture of
// it.
type Drain struct {
	f    *os.File
	done chan struct{}
	once sync.Once // closes f

	mu   sync.Mutex
	capt *headTail // nil when not capturing
	out  io.Writer
	err  error
}

// StartDrain starts reading f until end of file in a goroutine of its own,
// and owns f: it closes it at the end.
//
// With capture set it keeps the first quarter of limit bytes (the start of
// a crash) and the last three quarters (its end), and counts the bytes
// dropped between them; a limit <= 0 means [DefaultDrainLimit]. With out
// non-nil it also copies every byte to out (passthrough). Both may be used
// at once; with neither the stream is discarded.
//
// out is written synchronously from the drain's goroutine: a slow out slows
// the drain, and once the pipe's buffer is full the child's writes to stderr
// wait for it. Give a writer that does not block for long (os.Stderr, a
// bytes.Buffer). If out fails, the drain stops writing to it, keeps
// draining, and reports the failure through [Drain.Err].
func StartDrain(f *os.File, capture bool, out io.Writer, limit int) *Drain {
	if limit <= 0 {
		limit = DefaultDrainLimit
	}
	d := &Drain{f: f, done: make(chan struct{}), out: out}
	if capture {
		d.capt = newHeadTail(limit)
	}
	go d.run()
	return d
}

// Bytes returns a snapshot of the capture: the head, then the tail. When
// bytes were dropped between them a marker "\n[... N bytes dropped ...]\n"
// separates the two. It is nil when not capturing, and may be called while
// the drain runs.
func (d *Drain) Bytes() []byte {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.capt == nil {
		return nil
	}
	return d.capt.bytes()
}

// Dropped returns the number of bytes the capture has dropped so far
// (always 0 when not capturing).
func (d *Drain) Dropped() int64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.capt == nil {
		return 0
	}
	return d.capt.dropped()
}

// Err returns the first failure of the drain: a read error other than end
// of file, or out's write error. It is nil for a clean run.
func (d *Drain) Err() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.err
}

// Wait blocks until the drain has reached end of file, that is until every
// process holding the write end of the pipe has closed it or exited, or
// until [Drain.Close].
func (d *Drain) Wait() {
	<-d.done
}

// Close stops the drain early and closes the file; later writes by the
// child fail with EPIPE. It does not wait for the drain to end.
func (d *Drain) Close() error {
	var err error
	d.once.Do(func() { err = d.f.Close() })
	if err != nil {
		return fmt.Errorf("procjail: close stderr drain: %w", err)
	}
	return nil
}

func (d *Drain) run() {
	defer close(d.done)
	defer d.Close()
	buf := make([]byte, drainChunk)
	for {
		n, err := d.f.Read(buf)
		d.record(buf[:n])
		if err != nil {
			d.end(err)
			return
		}
	}
}

// record captures p and copies it to out.
func (d *Drain) record(p []byte) {
	if len(p) == 0 {
		return
	}
	d.mu.Lock()
	if d.capt != nil {
		d.capt.write(p)
	}
	out := d.out
	d.mu.Unlock()
	if out == nil {
		return
	}
	if _, err := out.Write(p); err != nil {
		d.fail(fmt.Errorf("procjail: copy child's stderr: %w", err))
	}
}

// fail records err and stops the copy to out.
func (d *Drain) fail(err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.out = nil
	if d.err == nil {
		d.err = err
	}
}

// end records why reading stopped, unless it is end of file or Close.
func (d *Drain) end(err error) {
	if errors.Is(err, io.EOF) || errors.Is(err, os.ErrClosed) {
		return
	}
	d.fail(fmt.Errorf("procjail: read child's stderr: %w", err))
}
