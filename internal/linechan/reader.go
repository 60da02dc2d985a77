package linechan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"time"
)

// DefaultMaxLine is the maximum line length a [Reader] uses when given none.
const DefaultMaxLine = 1 << 20

// firstBufSize is the size of a Reader's buffer before a long line makes it
// grow (never past the maximum line length plus one).
const firstBufSize = 4096

// Reader reads newline-terminated lines from the child's stdout.
//
// Its memory is bounded by the maximum line length whatever the child
// writes. Calls are serialised, so concurrent ReadLine calls each get whole,
// distinct lines, in an unspecified order; a call waiting for its turn still
// honours its deadline or context. The zero value is not usable; create
// one with [NewReader].
type Reader struct {
	turn     turn // serialises calls
	f        *os.File
	max      int
	dl       deadline
	buf      []byte
	r, w     int  // unread bytes are buf[r:w]
	scanned  int  // buf[r:scanned] holds no newline
	skipping bool // dropping the rest of an over-long line
	eof      bool
	closed   atomic.Bool
}

// NewReader returns a Reader of f, which it owns: [Reader.Close] closes it.
// maxLine is the longest line accepted, newline excluded; a value <= 0
// means [DefaultMaxLine]. For deadlines and contexts to work f must be
// pollable, as the files from [os.Pipe] are.
func NewReader(f *os.File, maxLine int) *Reader {
	return newReaderSize(f, maxLine, firstBufSize)
}

// newReaderSize is NewReader with the buffer's first size given.
func newReaderSize(f *os.File, maxLine, first int) *Reader {
	if maxLine <= 0 {
		maxLine = DefaultMaxLine
	}
	first = max(1, min(first, maxLine+1))
	return &Reader{
		turn: newTurn(),
		f:    f,
		max:  maxLine,
		dl:   deadline{set: f.SetReadDeadline, what: "read"},
		buf:  make([]byte, first),
	}
}

// MaxLine reports the longest line r accepts.
func (r *Reader) MaxLine() int { return r.max }

// ReadLine returns the next line, without its "\n" and with every other
// byte as the child sent it (see the package documentation).
//
// At end of file it returns io.EOF; a last line without a newline is
// returned first, as a line. When more than the maximum line length arrives
// without a newline it returns an error wrapping [ErrLineTooLong] at once,
// without waiting for the newline; the next call skips the rest of that
// line without keeping it and returns the line after it.
//
// ctx bounds the call: when its deadline passes or it is cancelled,
// ReadLine returns ctx.Err(). Nothing is lost: a partial line read so far is
// kept for the next call.
func (r *Reader) ReadLine(ctx context.Context) (string, error) {
	if err := r.turn.take(ctx); err != nil {
		return "", err
	}
	defer r.turn.release()
	release, err := r.dl.bind(ctx)
	if err != nil {
		return "", err
	}
	line, err := r.next()
	release()
	return line, ctxError(ctx, err)
}

// ReadLineDeadline is [Reader.ReadLine] bounded by the time t instead of a
// context; the zero t means no deadline. When t passes it returns an error
// wrapping [os.ErrDeadlineExceeded], and the Reader stays usable: a partial
// line read so far is kept for the next call.
func (r *Reader) ReadLineDeadline(t time.Time) (string, error) {
	if err := r.turn.takeBy(t); err != nil {
		return "", err
	}
	defer r.turn.release()
	if err := r.dl.at(t); err != nil {
		return "", err
	}
	return r.next()
}

// Close closes the file. A ReadLine blocked in another goroutine returns
// [ErrClosed], as does every later one. Closing twice is harmless.
func (r *Reader) Close() error {
	if r.closed.Swap(true) {
		return nil
	}
	if err := r.f.Close(); err != nil {
		return fmt.Errorf("procjail: close line reader: %w", err)
	}
	return nil
}

// next returns the next line, reading as needed.
func (r *Reader) next() (string, error) {
	for {
		if r.closed.Load() {
			return "", ErrClosed
		}
		if line, ok, err := r.fromBuffer(); ok {
			return line, err
		}
		if r.eof {
			return r.atEOF()
		}
		if err := r.fill(); err != nil {
			return "", err
		}
	}
}

// fromBuffer returns the next line if the buffer decides it: a complete
// line, or ErrLineTooLong. ok is false when more input is needed.
func (r *Reader) fromBuffer() (line string, ok bool, err error) {
	for {
		i := bytes.IndexByte(r.buf[r.scanned:r.w], '\n')
		if i < 0 {
			return r.noNewline()
		}
		end := r.scanned + i
		start := r.r
		r.r, r.scanned = end+1, end+1
		if r.skipping {
			r.skipping = false
			continue
		}
		if end-start > r.max {
			return "", true, r.tooLong()
		}
		return string(r.buf[start:end]), true, nil
	}
}

// noNewline handles a buffer with no newline after r.r: it drops it while
// skipping, and reports an over-long line as soon as it has one.
func (r *Reader) noNewline() (string, bool, error) {
	r.scanned = r.w
	switch {
	case r.skipping:
		r.r, r.w, r.scanned = 0, 0, 0
	case r.w-r.r > r.max:
		r.r, r.w, r.scanned = 0, 0, 0
		r.skipping = true
		return "", true, r.tooLong()
	}
	return "", false, nil
}

func (r *Reader) tooLong() error {
	return fmt.Errorf("%w (%d bytes): the child must end its lines with \"\\n\", or the maximum line length must be raised", ErrLineTooLong, r.max)
}

// atEOF returns what is left at end of file: a last line without a newline,
// then io.EOF.
func (r *Reader) atEOF() (string, error) {
	if r.skipping || r.r == r.w {
		r.skipping = false
		r.r, r.w, r.scanned = 0, 0, 0
		return "", io.EOF
	}
	line := string(r.buf[r.r:r.w])
	r.r, r.w, r.scanned = 0, 0, 0
	return line, nil
}

// fill reads more input into the buffer. End of file is recorded, not
// returned.
func (r *Reader) fill() error {
	r.makeRoom()
	n, err := r.f.Read(r.buf[r.w:])
	r.w += n
	switch {
	case n > 0 || err == nil:
		return nil // an error comes back on the next read
	case errors.Is(err, io.EOF):
		r.eof = true
		return nil
	case errors.Is(err, os.ErrClosed):
		return ErrClosed
	}
	return fmt.Errorf("procjail: read line: %w", err)
}

// makeRoom leaves free space after r.w: it moves the unread bytes to the
// front, or grows the buffer up to one byte more than the maximum line
// length (enough to tell that a line is too long).
func (r *Reader) makeRoom() {
	if r.w < len(r.buf) {
		return
	}
	if r.r > 0 {
		n := copy(r.buf, r.buf[r.r:r.w])
		r.scanned -= r.r
		r.r, r.w = 0, n
		return
	}
	bigger := make([]byte, min(2*len(r.buf), r.max+1))
	copy(bigger, r.buf[:r.w])
	r.buf = bigger
}
