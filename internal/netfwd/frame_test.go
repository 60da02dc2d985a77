package netfwd

import (
	"bytes"
	"errors"
	"testing"
)

func TestFrameRoundTrip(t *testing.T) {
	tests := []struct {
		nfds int
		meta []byte
	}{
		{0, nil},
		{1, []byte("tcp4:80")},
		{MaxFDs, bytes.Repeat([]byte("x"), MaxMeta)},
	}
	for _, tt := range tests {
		b, err := encodeFrame(tt.nfds, tt.meta)
		if err != nil {
			t.Fatalf("encodeFrame(%d, %d bytes): %v", tt.nfds, len(tt.meta), err)
		}
		h, err := decodeHeader(b[:headerLen])
		if err != nil {
			t.Fatalf("decodeHeader: %v", err)
		}
		if h.nfds != tt.nfds || h.metaLen != len(tt.meta) || !bytes.Equal(b[headerLen:], tt.meta) {
			t.Fatalf("round trip of (%d, %d bytes) gave %+v", tt.nfds, len(tt.meta), h)
		}
	}
}

func TestEncodeFrameLimits(t *testing.T) {
	if _, err := encodeFrame(MaxFDs+1, nil); err == nil {
		t.Error("encodeFrame accepted more than MaxFDs files")
	}
	if _, err := encodeFrame(0, make([]byte, MaxMeta+1)); err == nil {
		t.Error("encodeFrame accepted more than MaxMeta bytes")
	}
}

func TestDecodeHeaderRejects(t *testing.T) {
	good, _ := encodeFrame(2, []byte("ab"))
	mutate := func(i int, v byte) []byte {
		b := bytes.Clone(good[:headerLen])
		b[i] = v
		return b
	}
	tests := []struct {
		name    string
		b       []byte
		noFrame bool
	}{
		{"json", []byte(`{"type":"failed","detail":"x"}`), true},
		{"short", good[:headerLen-1], true},
		{"bad magic", mutate(1, 'X'), true},
		{"reserved", mutate(12, 1), false},
		{"too many fds", mutate(5, 1), false},
		{"meta too long", mutate(10, 1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decodeHeader(tt.b)
			if err == nil {
				t.Fatal("decodeHeader accepted it")
			}
			if errors.Is(err, ErrNoFrame) != tt.noFrame {
				t.Fatalf("decodeHeader = %v, want ErrNoFrame=%v", err, tt.noFrame)
			}
		})
	}
}

func FuzzDecodeHeader(f *testing.F) {
	good, _ := encodeFrame(3, []byte("meta"))
	f.Add(good[:headerLen])
	f.Add([]byte(`{"type":"started"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := decodeHeader(b)
		if err != nil {
			return
		}
		if h.nfds < 0 || h.nfds > MaxFDs || h.metaLen < 0 || h.metaLen > MaxMeta {
			t.Fatalf("decodeHeader(%x) accepted out-of-range %+v", b, h)
		}
		again, err := encodeFrame(h.nfds, make([]byte, h.metaLen))
		if err != nil || !bytes.Equal(again[:headerLen], b[:headerLen]) {
			t.Fatalf("decodeHeader(%x) = %+v does not re-encode to itself: %v", b, h, err)
		}
	})
}
