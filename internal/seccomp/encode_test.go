//go:build amd64 || arm64

package seccomp

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestEncodeLayout(t *testing.T) {
	prog := []SockFilter{{Code: 0x0020, Jt: 0, Jf: 0, K: 4}, {Code: 0x0015, Jt: 1, Jf: 2, K: 0xc000003e}, {Code: 0x0006, K: 0x7fff0000}}
	want := []byte{
		0x20, 0x00, 0, 0, 4, 0, 0, 0, // ld [4]
		0x15, 0x00, 1, 2, 0x3e, 0x00, 0x00, 0xc0, // jeq #0xc000003e, 1, 2
		0x06, 0x00, 0, 0, 0x00, 0x00, 0xff, 0x7f, // ret #0x7fff0000
	}
	if got := Encode(prog); !bytes.Equal(got, want) {
		t.Fatalf("Encode:\n got % x\nwant % x", got, want)
	}
	back, err := Decode(want)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if diff := cmp.Diff(prog, back); diff != "" {
		t.Fatalf("Decode(Encode(p)) differs (-want +got):\n%s", diff)
	}
}

func TestDecodeRejects(t *testing.T) {
	cases := []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "empty"},
		{"truncated", make([]byte, 17), "not a whole number"},
		{"too long", make([]byte, 8*(maxInsns+1)), "more than the kernel's"},
	}
	for _, c := range cases {
		if _, err := Decode(c.in); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Decode error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte{0x06, 0, 0, 0, 0, 0, 0xff, 0x7f})
	f.Add(make([]byte, 24))
	f.Add([]byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, b []byte) {
		prog, err := Decode(b)
		if err != nil {
			return
		}
		if got := Encode(prog); !bytes.Equal(got, b) {
			t.Fatalf("Encode(Decode(b)) = % x, want % x", got, b)
		}
	})
}
