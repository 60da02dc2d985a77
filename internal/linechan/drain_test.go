package linechan

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// waitDrain waits for d, failing instead of hanging.
func waitDrain(t *testing.T, d *Drain) {
	t.Helper()
	done := make(chan struct{})
	go func() { d.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(hangGuard):
		t.Fatal("the drain did not reach end of file")
	}
}

// A real child writing 10 MB to stderr is never blocked by the parent: it
// exits, the drain ends, and the capture holds its head and its tail.
func TestDrainCapturesHeadAndTail(t *testing.T) {
	const n = 10 << 20
	errR, errW := newPipe(t)
	cmd := selfChild(t, "stderr-pattern", n)
	cmd.Stderr = errW
	start(t, cmd, errW)
	d := StartDrain(errR, true, nil, 0)
	stop := make(chan struct{})
	go func() { // snapshots while running, for the race detector
		for {
			select {
			case <-stop:
				return
			default:
				d.Bytes()
			}
		}
	}()
	waitExit(t, cmd.Wait)
	waitDrain(t, d)
	close(stop)
	want, wantDropped := wantHeadTail(pattern(n), DefaultDrainLimit)
	if !bytes.Equal(d.Bytes(), want) {
		t.Errorf("capture of %d bytes does not hold the first %d and last %d bytes with a marker", n, DefaultDrainLimit/4, DefaultDrainLimit*3/4)
	}
	if got := d.Dropped(); got != wantDropped || got != n-DefaultDrainLimit {
		t.Errorf("Dropped = %d, want %d", got, n-DefaultDrainLimit)
	}
	if err := d.Err(); err != nil {
		t.Errorf("Err = %v", err)
	}
}

// waitExit waits for a child, failing instead of hanging.
func waitExit(t *testing.T, wait func() error) {
	t.Helper()
	errc := make(chan error, 1)
	go func() { errc <- wait() }()
	select {
	case err := <-errc:
		if err != nil {
			t.Fatalf("child: %v", err)
		}
	case <-time.After(hangGuard):
		t.Fatal("the child did not exit: its stderr is not drained")
	}
}

func TestDrainSmallNoMarker(t *testing.T) {
	errR, errW := newPipe(t)
	cmd := sh(`printf 'boom\n' >&2`)
	cmd.Stderr = errW
	start(t, cmd, errW)
	d := StartDrain(errR, true, nil, 64)
	waitDrain(t, d)
	if got := string(d.Bytes()); got != "boom\n" || d.Dropped() != 0 {
		t.Errorf("capture = %q, dropped %d; want \"boom\\n\", 0", got, d.Dropped())
	}
}

func TestDrainPassthrough(t *testing.T) {
	const n = 1 << 20
	errR, errW := newPipe(t)
	cmd := selfChild(t, "stderr-pattern", n)
	cmd.Stderr = errW
	start(t, cmd, errW)
	var out bytes.Buffer
	d := StartDrain(errR, false, &out, 0)
	waitExit(t, cmd.Wait)
	waitDrain(t, d)
	if !bytes.Equal(out.Bytes(), pattern(n)) {
		t.Errorf("passthrough copied %d bytes that differ from the %d the child wrote", out.Len(), n)
	}
	if d.Bytes() != nil || d.Dropped() != 0 {
		t.Errorf("passthrough only: Bytes() has %d bytes and Dropped() = %d; want none", len(d.Bytes()), d.Dropped())
	}
}

func TestDrainCaptureAndPassthrough(t *testing.T) {
	errR, errW := newPipe(t)
	var out bytes.Buffer
	d := StartDrain(errR, true, &out, 8)
	errW.WriteString("0123456789abcdef")
	errW.Close()
	waitDrain(t, d)
	if diff := cmp.Diff("0123456789abcdef", out.String()); diff != "" {
		t.Errorf("passthrough (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff("01\n[... 8 bytes dropped ...]\nabcdef", string(d.Bytes())); diff != "" {
		t.Errorf("capture (-want +got):\n%s", diff)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// A failing out is reported, and the drain keeps emptying the pipe.
func TestDrainOutFails(t *testing.T) {
	const n = 1 << 20
	errR, errW := newPipe(t)
	cmd := selfChild(t, "stderr-pattern", n)
	cmd.Stderr = errW
	start(t, cmd, errW)
	d := StartDrain(errR, true, failingWriter{}, 0)
	waitExit(t, cmd.Wait)
	waitDrain(t, d)
	if err := d.Err(); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Err = %v, want the writer's error", err)
	}
	if got := d.Dropped(); got != n-DefaultDrainLimit {
		t.Errorf("Dropped = %d, want %d: the drain must go on after out fails", got, n-DefaultDrainLimit)
	}
}

// Close ends a drain whose pipe is still held open.
func TestDrainClose(t *testing.T) {
	errR, errW := newPipe(t)
	d := StartDrain(errR, true, nil, 0)
	errW.WriteString("partial")
	time.Sleep(20 * time.Millisecond) // lets the drain read; not needed for correctness
	if err := d.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	waitDrain(t, d)
	if err := d.Err(); err != nil {
		t.Errorf("Err after Close = %v, want nil", err)
	}
	if _, err := errW.WriteString("more"); err == nil {
		t.Error("writing to a closed drain succeeded; want EPIPE")
	}
}
