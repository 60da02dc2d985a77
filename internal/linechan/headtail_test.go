package linechan

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// wantHeadTail is what a capture of limit bytes must hold after data.
func wantHeadTail(data []byte, limit int) ([]byte, int64) {
	headMax, tailMax := limit/4, limit-limit/4
	head := data[:min(headMax, len(data))]
	rest := data[len(head):]
	tail := rest[len(rest)-min(tailMax, len(rest)):]
	dropped := int64(len(rest) - len(tail))
	out := append([]byte{}, head...)
	if dropped > 0 {
		out = fmt.Appendf(out, "\n[... %d bytes dropped ...]\n", dropped)
	}
	return append(out, tail...), dropped
}

func TestHeadTail(t *testing.T) {
	data := pattern(1000)
	for _, limit := range []int{1, 2, 3, 4, 5, 8, 13, 64, 999, 1000, 1001, 4000} {
		for _, chunk := range []int{1, 2, 3, 7, 16, 100, 1000} {
			for _, n := range []int{0, 1, 5, 17, 250, 999, 1000} {
				c := newHeadTail(limit)
				for p := data[:n]; len(p) > 0; p = p[min(chunk, len(p)):] {
					c.write(p[:min(chunk, len(p))])
				}
				want, wantDropped := wantHeadTail(data[:n], limit)
				if diff := cmp.Diff(want, c.bytes()); diff != "" {
					t.Fatalf("limit %d, chunks of %d, %d bytes (-want +got):\n%s", limit, chunk, n, diff)
				}
				if got := c.dropped(); got != wantDropped {
					t.Fatalf("limit %d, chunks of %d, %d bytes: dropped %d, want %d", limit, chunk, n, got, wantDropped)
				}
			}
		}
	}
}

func TestHeadTailMarker(t *testing.T) {
	c := newHeadTail(8) // head 2, tail 6
	c.write([]byte("ABcdefghijklMNOPQR"))
	want := "AB\n[... 10 bytes dropped ...]\nMNOPQR"
	if got := string(c.bytes()); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
