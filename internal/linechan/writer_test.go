package linechan

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestWriteLineRejectsNewline(t *testing.T) {
	pr, pw := newPipe(t)
	w := NewWriter(pw)
	for _, line := range []string{"a\nb", "\n", "end\n"} {
		if err := w.WriteLine(context.Background(), line); !errors.Is(err, ErrNewlineInLine) {
			t.Errorf("WriteLine(%q): got %v, want ErrNewlineInLine", line, err)
		}
	}
	if err := w.WriteLine(context.Background(), "ok"); err != nil {
		t.Fatalf("WriteLine after refused lines: %v", err)
	}
	w.Close()
	got, err := io.ReadAll(pr)
	if err != nil || string(got) != "ok\n" {
		t.Errorf("pipe holds %q (%v); want only \"ok\\n\": refused lines must write nothing", got, err)
	}
}

// Lines go through a real child (cat) and come back byte for byte.
func TestWriteLineRoundTrip(t *testing.T) {
	inR, inW := newPipe(t)
	outR, outW := newPipe(t)
	cmd := sh("exec cat")
	cmd.Stdin, cmd.Stdout = inR, outW
	start(t, cmd, inR, outW)
	lines := []string{`{"op":"ping"}`, "", "cr\r", "nul\x00byte", "\xff\xfe not UTF-8", strings.Repeat("x", 200000)}
	w := NewWriter(inW)
	go func() {
		for _, l := range lines {
			if err := w.WriteLine(context.Background(), l); err != nil {
				t.Errorf("WriteLine: %v", err)
			}
		}
		w.Close()
	}()
	var want []result
	for _, l := range lines {
		want = append(want, result{Line: l})
	}
	want = append(want, eof)
	if diff := cmp.Diff(want, readAll(t, NewReader(outR, 1<<20))); diff != "" {
		t.Errorf("lines back from cat (-want +got):\n%s", diff)
	}
}

// A child that never reads its stdin cannot block a WriteLine that has a
// deadline.
func TestWriteLineChildNeverReads(t *testing.T) {
	inR, inW := newPipe(t)
	cmd := sh("exec sleep 1000")
	cmd.Stdin = inR
	start(t, cmd, inR)
	w := NewWriter(inW)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	err := w.WriteLine(ctx, strings.Repeat("x", 10<<20))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("10 MB WriteLine to a child that never reads: got %v, want context.DeadlineExceeded", err)
	}
}

// A line cut short makes the Writer refuse every later line: the child
// would read them glued to the cut one.
func TestWriteLinePartialBreaksWriter(t *testing.T) {
	pr, pw := newPipe(t)
	w := NewWriter(pw)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- w.WriteLine(ctx, strings.Repeat("x", 1<<20)) }()
	if _, err := pr.Read(make([]byte, 1)); err != nil { // the line has begun
		t.Fatal(err)
	}
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) || !errors.Is(err, ErrPartialWrite) {
		t.Fatalf("WriteLine cancelled mid-line: got %v, want context.Canceled and ErrPartialWrite", err)
	}
	if err := w.WriteLine(context.Background(), "next"); !errors.Is(err, ErrPartialWrite) {
		t.Errorf("WriteLine after a cut line: got %v, want ErrPartialWrite", err)
	}
}

// A WriteLine that times out before writing anything leaves the Writer
// usable.
func TestWriteLineTimeoutBeforeWriting(t *testing.T) {
	pr, pw := newPipe(t)
	filler := fillPipe(t, pw)
	w := NewWriter(pw)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := w.WriteLine(ctx, "late"); !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrPartialWrite) {
		t.Fatalf("WriteLine to a full pipe: got %v, want context.DeadlineExceeded without ErrPartialWrite", err)
	}
	got := make(chan []byte)
	go func() {
		b, _ := io.ReadAll(pr)
		got <- b
	}()
	if err := w.WriteLine(guardCtx(t), "late"); err != nil {
		t.Fatalf("WriteLine once the pipe drains: %v", err)
	}
	w.Close()
	if b := <-got; !bytes.Equal(b, append(filler, "late\n"...)) {
		t.Errorf("pipe carried %d bytes ending %q; want the %d filler bytes then \"late\\n\"", len(b), b[max(0, len(b)-8):], len(filler))
	}
}

// fillPipe writes to w until the pipe is full and returns what it wrote.
// A write that timed out after writing something met a full pipe; one that
// wrote nothing may have timed out before trying, so it is retried.
func fillPipe(t *testing.T, w *os.File) []byte {
	t.Helper()
	var all []byte
	big := bytes.Repeat([]byte("f"), 1<<20)
	for wait := 20 * time.Millisecond; ; wait *= 2 {
		if err := w.SetWriteDeadline(time.Now().Add(wait)); err != nil {
			t.Fatal(err)
		}
		n, err := w.Write(big)
		all = append(all, big[:n]...)
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("filling the pipe: wrote %d bytes, err %v; want a timeout", n, err)
		}
		if n > 0 {
			break
		}
	}
	if err := w.SetWriteDeadline(time.Time{}); err != nil {
		t.Fatal(err)
	}
	return all
}

func TestWriteLineCancelUnblocks(t *testing.T) {
	_, pw := newPipe(t)
	w := NewWriter(pw)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- w.WriteLine(ctx, strings.Repeat("x", 1<<20)) }()
	time.Sleep(20 * time.Millisecond) // lets WriteLine block; not needed for correctness
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled WriteLine: got %v, want context.Canceled", err)
		}
	case <-time.After(hangGuard):
		t.Fatal("cancelling the context did not unblock WriteLine")
	}
}

func TestWriteLineAfterChildExit(t *testing.T) {
	inR, inW := newPipe(t)
	cmd := sh("exit 0")
	cmd.Stdin = inR
	start(t, cmd, inR)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("child: %v", err)
	}
	w := NewWriter(inW)
	err := w.WriteLine(guardCtx(t), "anyone there?")
	if !errors.Is(err, syscall.EPIPE) {
		t.Fatalf("WriteLine to an exited child: got %v, want EPIPE", err)
	}
	if !strings.Contains(err.Error(), "no longer reads its stdin") {
		t.Errorf("EPIPE error %q does not say the child stopped reading", err)
	}
}

// Concurrent lines, each far larger than the pipe's atomic write size,
// arrive whole.
func TestWriteLineConcurrent(t *testing.T) {
	const writers, lines, size = 6, 10, 100000
	pr, pw := newPipe(t)
	w := NewWriter(pw)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			line := strings.Repeat(string(rune('a'+i)), size)
			for range lines {
				if err := w.WriteLine(guardCtx(t), line); err != nil {
					t.Errorf("WriteLine: %v", err)
				}
			}
		})
	}
	go func() { wg.Wait(); w.Close() }()
	count := make(map[string]int)
	for _, res := range readAll(t, NewReader(pr, size)) {
		if res.Err == "" && res.Line != strings.Repeat(res.Line[:1], size) {
			t.Fatalf("a line mixes bytes of different writers: starts %q", res.Line[:8])
		}
		count[res.Err+res.Line[:min(1, len(res.Line))]]++
	}
	for i := range writers {
		if c := count[string(rune('a'+i))]; c != lines {
			t.Errorf("writer %d: %d whole lines arrived, want %d", i, c, lines)
		}
	}
}

func TestWriterCloseUnblocks(t *testing.T) {
	_, pw := newPipe(t)
	w := NewWriter(pw)
	errc := make(chan error, 1)
	go func() { errc <- w.WriteLine(context.Background(), strings.Repeat("x", 1<<20)) }()
	time.Sleep(20 * time.Millisecond) // lets WriteLine block; not needed for correctness
	if err := w.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	select {
	case err := <-errc:
		if !errors.Is(err, ErrClosed) {
			t.Errorf("WriteLine blocked during Close: got %v, want ErrClosed", err)
		}
	case <-time.After(hangGuard):
		t.Fatal("Close did not unblock WriteLine")
	}
	if err := w.WriteLine(context.Background(), "x"); !errors.Is(err, ErrClosed) {
		t.Errorf("WriteLine after Close: got %v, want ErrClosed", err)
	}
	if err := w.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// A bounded call stays bounded while an unbounded one holds the writer.
func TestWriteLineWaitingForTurnIsBounded(t *testing.T) {
	_, pw := newPipe(t)
	w := NewWriter(pw)
	first := make(chan error, 1)
	go func() { first <- w.WriteLine(context.Background(), strings.Repeat("x", 1<<20)) }()
	time.Sleep(20 * time.Millisecond) // lets the first call take the writer; not needed for correctness
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := w.WriteLine(ctx, "y"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("WriteLine behind a blocked one: got %v, want context.DeadlineExceeded", err)
	}
	w.Close()
	if err := <-first; !errors.Is(err, ErrClosed) {
		t.Errorf("the blocked WriteLine after Close: got %v, want ErrClosed", err)
	}
}
