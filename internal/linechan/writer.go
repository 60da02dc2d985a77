package linechan

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
)

// Writer writes newline-terminated lines to the child's stdin.
//
// Each line is written whole before any other WriteLine call writes, so
// concurrent calls never interleave their bytes; a call waiting for its
// turn still honours its context. The zero value is not usable; create one
// with [NewWriter].
type Writer struct {
	turn   turn // serialises calls
	f      *os.File
	dl     deadline
	broken error // set once a line was cut short
	closed atomic.Bool
}

// NewWriter returns a Writer to f, which it owns: [Writer.Close] closes it.
// For deadlines and contexts to work f must be pollable, as the files from
// [os.Pipe] are.
func NewWriter(f *os.File) *Writer {
	return &Writer{turn: newTurn(), f: f, dl: deadline{set: f.SetWriteDeadline, what: "write"}}
}

// WriteLine writes line followed by "\n". A line containing "\n" is
// refused with [ErrNewlineInLine] before anything is written; every other
// byte ("\r", NUL, invalid UTF-8) is written as given.
//
// ctx bounds the call, so a child that never reads its stdin cannot block
// the caller past ctx's deadline or cancellation; the error then wraps
// ctx.Err(). If that happens after part of the line was written, the error
// also wraps [ErrPartialWrite] and every later call fails with it. When the
// child no longer reads its stdin (it exited or closed it), the error wraps
// [syscall.EPIPE].
func (w *Writer) WriteLine(ctx context.Context, line string) error {
	if i := strings.IndexByte(line, '\n'); i >= 0 {
		return fmt.Errorf("%w (at byte %d): send one line per call, or encode the newline (JSON does)", ErrNewlineInLine, i)
	}
	if err := w.turn.take(ctx); err != nil {
		return err
	}
	defer w.turn.release()
	if err := w.usable(ctx); err != nil {
		return err
	}
	release, err := w.dl.bind(ctx)
	if err != nil {
		return err
	}
	n, err := w.f.Write(withNewline(line))
	release()
	if err == nil {
		return nil
	}
	return w.failed(n, len(line)+1, ctxError(ctx, err))
}

// usable returns why w cannot write now, or nil.
func (w *Writer) usable(ctx context.Context) error {
	switch {
	case w.closed.Load():
		return ErrClosed
	case w.broken != nil:
		return fmt.Errorf("procjail: write line: refused after an earlier failure: %w", w.broken)
	}
	return ctx.Err()
}

// failed explains a write that stopped after n of total bytes, and marks w
// broken if it left a partial line behind.
func (w *Writer) failed(n, total int, err error) error {
	switch {
	case errors.Is(err, os.ErrClosed):
		err = ErrClosed
	case errors.Is(err, syscall.EPIPE):
		err = fmt.Errorf("procjail: write line: the child no longer reads its stdin (it exited or closed it): %w", err)
	default:
		err = fmt.Errorf("procjail: write line: %w", err)
	}
	if n > 0 {
		w.broken = fmt.Errorf("%w (wrote %d of %d bytes): %w", ErrPartialWrite, n, total, err)
		return w.broken
	}
	return err
}

// Close closes the file, which the child sees as end of file on its stdin.
// A WriteLine blocked in another goroutine returns [ErrClosed], as does
// every later one. Closing twice is harmless.
func (w *Writer) Close() error {
	if w.closed.Swap(true) {
		return nil
	}
	if err := w.f.Close(); err != nil {
		return fmt.Errorf("procjail: close line writer: %w", err)
	}
	return nil
}

func withNewline(line string) []byte {
	b := make([]byte, len(line)+1)
	copy(b, line)
	b[len(line)] = '\n'
	return b
}
