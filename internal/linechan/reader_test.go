package linechan

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var eof = result{Err: "EOF"}
var tooLong = result{Err: "too long"}

func TestReadLine(t *testing.T) {
	tests := []struct {
		name    string
		maxLine int
		input   string
		want    []result
	}{
		{"lines", 10, "a\nbc\n", []result{{Line: "a"}, {Line: "bc"}, eof}},
		{"nothing", 10, "", []result{eof}},
		{"empty lines", 10, "\n\nx\n\n", []result{{}, {}, {Line: "x"}, {}, eof}},
		{"final unterminated line", 10, "a\nlast", []result{{Line: "a"}, {Line: "last"}, eof}},
		{"carriage returns kept", 10, "a\r\n\rb\r\n", []result{{Line: "a\r"}, {Line: "\rb\r"}, eof}},
		{"invalid UTF-8 kept", 10, "\xff\xfe\xc3\n", []result{{Line: "\xff\xfe\xc3"}, eof}},
		{"NUL kept", 10, "a\x00b\n\x00", []result{{Line: "a\x00b"}, {Line: "\x00"}, eof}},
		{"exactly the maximum", 3, "abc\nabc", []result{{Line: "abc"}, {Line: "abc"}, eof}},
		{"one byte over", 3, "abcd\nef\n", []result{tooLong, {Line: "ef"}, eof}},
		{"over-long then short", 3, "abcdefghij\n\nxy\n", []result{tooLong, {}, {Line: "xy"}, eof}},
		{"over-long last line", 3, "ab\nabcdefgh", []result{{Line: "ab"}, tooLong, eof}},
		{"two over-long lines", 2, "abc\ndef\ng", []result{tooLong, tooLong, {Line: "g"}, eof}},
		{"default maximum", 0, "a\n", []result{{Line: "a"}, eof}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pr, pw := newPipe(t)
			go func() {
				pw.WriteString(tt.input)
				pw.Close()
			}()
			got := readAll(t, NewReader(pr, tt.maxLine))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("lines of %q (-want +got):\n%s", tt.input, diff)
			}
		})
	}
}

// A 100 MB line with no newline from a real child costs the parent a
// bounded amount of memory, and the line after it is read intact.
func TestHugeLineBoundedMemory(t *testing.T) {
	const maxLine = 1 << 20
	pr, pw := newPipe(t)
	cmd := sh(`head -c 100000000 /dev/zero; printf '\nnext\n'`)
	cmd.Stdout = pw
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start(t, cmd, pw)
	got := readAll(t, NewReader(pr, maxLine))
	runtime.ReadMemStats(&after)
	if diff := cmp.Diff([]result{tooLong, {Line: "next"}, eof}, got); diff != "" {
		t.Fatalf("lines (-want +got):\n%s", diff)
	}
	const bound = 16 << 20
	if d := after.TotalAlloc - before.TotalAlloc; d > bound {
		t.Errorf("allocated %d bytes reading a 100 MB line; want < %d", d, bound)
	}
	if d := int64(after.HeapAlloc) - int64(before.HeapAlloc); d > bound {
		t.Errorf("heap grew by %d bytes reading a 100 MB line; want < %d", d, bound)
	}
}

// ErrLineTooLong comes as soon as the limit is crossed: the child has not
// written the newline yet, and writes it only once the parent says so.
func TestLineTooLongReportedBeforeNewline(t *testing.T) {
	inR, inW := newPipe(t)
	outR, outW := newPipe(t)
	cmd := sh(`printf 'aaaaaaaaaaaaaaaaaaaa'; read x; printf 'bbb\nnext\n'`)
	cmd.Stdin, cmd.Stdout = inR, outW
	start(t, cmd, inR, outW)
	r := NewReader(outR, 10)
	if _, err := r.ReadLine(guardCtx(t)); !errors.Is(err, ErrLineTooLong) {
		t.Fatalf("ReadLine of 20 bytes without a newline, maximum 10: got %v, want ErrLineTooLong", err)
	}
	fmt.Fprintln(inW, "go")
	got := readAll(t, r)
	if diff := cmp.Diff([]result{{Line: "next"}, eof}, got); diff != "" {
		t.Errorf("after ErrLineTooLong (-want +got):\n%s", diff)
	}
}

// A child that does not finish its line makes ReadLineDeadline time out;
// the part of the line read before the deadline is not lost.
func TestReadLineDeadlineKeepsPartialLine(t *testing.T) {
	inR, inW := newPipe(t)
	outR, outW := newPipe(t)
	cmd := sh(`printf 'par'; read x; printf 'tial\nnext\n'`)
	cmd.Stdin, cmd.Stdout = inR, outW
	start(t, cmd, inR, outW)
	r := NewReader(outR, 64)
	for tries := 0; r.buffered() == 0; tries++ {
		if tries > 6000 {
			t.Fatal("the child's partial line never reached the reader")
		}
		_, err := r.ReadLineDeadline(time.Now().Add(10 * time.Millisecond))
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("ReadLineDeadline from a silent child: got %v, want os.ErrDeadlineExceeded", err)
		}
	}
	fmt.Fprintln(inW, "go")
	var got []result
	for range 3 {
		got = append(got, resultOf(r.ReadLineDeadline(time.Now().Add(hangGuard))))
	}
	if diff := cmp.Diff([]result{{Line: "partial"}, {Line: "next"}, eof}, got); diff != "" {
		t.Errorf("after the deadline (-want +got):\n%s", diff)
	}
}

func (r *Reader) buffered() int {
	r.turn.takeBy(time.Time{})
	defer r.turn.release()
	return r.w - r.r
}

// A context deadline is applied, and the reader works afterwards.
func TestReadLineContextDeadline(t *testing.T) {
	inR, inW := newPipe(t)
	outR, outW := newPipe(t)
	cmd := sh(`read x; printf 'late\n'`)
	cmd.Stdin, cmd.Stdout = inR, outW
	start(t, cmd, inR, outW)
	r := NewReader(outR, 64)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := r.ReadLine(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("ReadLine from a silent child: got %v, want context.DeadlineExceeded", err)
	}
	fmt.Fprintln(inW, "go")
	if got := resultOf(r.ReadLine(guardCtx(t))); got != (result{Line: "late"}) {
		t.Errorf("ReadLine after the deadline: got %+v, want the line \"late\"", got)
	}
}

// Cancelling the context unblocks a blocked ReadLine, and the cancellation
// does not leak into the next call.
func TestReadLineCancelUnblocks(t *testing.T) {
	inR, inW := newPipe(t)
	outR, outW := newPipe(t)
	cmd := sh(`read x; printf 'after\n'`)
	cmd.Stdin, cmd.Stdout = inR, outW
	start(t, cmd, inR, outW)
	r := NewReader(outR, 64)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := r.ReadLine(ctx)
		errc <- err
	}()
	time.Sleep(20 * time.Millisecond) // lets ReadLine block; not needed for correctness
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled ReadLine: got %v, want context.Canceled", err)
		}
	case <-time.After(hangGuard):
		t.Fatal("cancelling the context did not unblock ReadLine")
	}
	fmt.Fprintln(inW, "go")
	if got := resultOf(r.ReadLine(context.Background())); got != (result{Line: "after"}) {
		t.Errorf("ReadLine after a cancelled one: got %+v, want the line \"after\"", got)
	}
}

func TestReadLineCancelledBeforeCall(t *testing.T) {
	pr, pw := newPipe(t)
	pw.WriteString("a\n")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := NewReader(pr, 8)
	if _, err := r.ReadLine(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("ReadLine with a cancelled context: got %v, want context.Canceled", err)
	}
	if got := resultOf(r.ReadLine(guardCtx(t))); got != (result{Line: "a"}) {
		t.Errorf("next ReadLine: got %+v, want the line \"a\"", got)
	}
}

// Concurrent readers get every line exactly once.
func TestReadLineConcurrent(t *testing.T) {
	const n = 2000
	pr, pw := newPipe(t)
	go func() {
		for i := range n {
			fmt.Fprintf(pw, "line %d\n", i)
		}
		pw.Close()
	}()
	r := NewReader(pr, 64)
	seen := make(map[string]int)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for _, res := range readAll(t, r) {
				mu.Lock()
				seen[res.Line+res.Err]++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	for i := range n {
		if c := seen[fmt.Sprintf("line %d", i)]; c != 1 {
			t.Errorf("line %d read %d times, want once", i, c)
		}
	}
	if len(seen) != n+1 || seen["EOF"] != 4 {
		t.Errorf("got %d distinct results and %d EOFs; want %d lines and 4 EOFs", len(seen), seen["EOF"], n)
	}
}

func TestReaderCloseUnblocks(t *testing.T) {
	pr, _ := newPipe(t)
	r := NewReader(pr, 64)
	errc := make(chan error, 1)
	go func() {
		_, err := r.ReadLine(context.Background())
		errc <- err
	}()
	time.Sleep(20 * time.Millisecond) // lets ReadLine block; not needed for correctness
	if err := r.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	select {
	case err := <-errc:
		if !errors.Is(err, ErrClosed) {
			t.Errorf("ReadLine blocked during Close: got %v, want ErrClosed", err)
		}
	case <-time.After(hangGuard):
		t.Fatal("Close did not unblock ReadLine")
	}
	if _, err := r.ReadLine(context.Background()); !errors.Is(err, ErrClosed) {
		t.Errorf("ReadLine after Close: got %v, want ErrClosed", err)
	}
	if err := r.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// A file that cannot take deadlines still reads without one, and refuses a
// deadline instead of ignoring it.
func TestReaderNonPollableFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lines")
	if err := os.WriteFile(path, []byte("a\nb"), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	r := NewReader(f, 8)
	defer r.Close()
	if got := resultOf(r.ReadLine(context.Background())); got != (result{Line: "a"}) {
		t.Errorf("ReadLine without a deadline: got %+v, want the line \"a\"", got)
	}
	if _, err := r.ReadLine(guardCtx(t)); !errors.Is(err, os.ErrNoDeadline) {
		t.Errorf("ReadLine with a deadline on a regular file: got %v, want os.ErrNoDeadline", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := r.ReadLine(ctx); !errors.Is(err, os.ErrNoDeadline) {
		t.Errorf("ReadLine with a cancellable context on a regular file: got %v, want os.ErrNoDeadline", err)
	}
	if got := resultOf(r.ReadLine(context.Background())); got != (result{Line: "b"}) {
		t.Errorf("ReadLine without a deadline after refused ones: got %+v, want the line \"b\"", got)
	}
}

// A bounded call stays bounded while an unbounded one holds the reader.
func TestReadLineWaitingForTurnIsBounded(t *testing.T) {
	pr, pw := newPipe(t)
	r := NewReader(pr, 64)
	first := make(chan result, 1)
	go func() { first <- resultOf(r.ReadLine(context.Background())) }()
	time.Sleep(20 * time.Millisecond) // lets the first call take the reader; not needed for correctness
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := r.ReadLine(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("ReadLine behind a blocked one: got %v, want context.DeadlineExceeded", err)
	}
	if _, err := r.ReadLineDeadline(time.Now().Add(20 * time.Millisecond)); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("ReadLineDeadline behind a blocked one: got %v, want os.ErrDeadlineExceeded", err)
	}
	pw.WriteString("one\n")
	if got := <-first; got != (result{Line: "one"}) {
		t.Errorf("the blocked ReadLine got %+v, want the line \"one\"", got)
	}
}
