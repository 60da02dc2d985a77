package procjailtest_test

import (
	"errors"
	"io"
	"testing"

	"github.com/procjail/procjail"
	"github.com/procjail/procjail/procjailtest"
)

func TestFake(t *testing.T) {
	var io_ procjail.IO = procjailtest.NewFake(func(l string) []string { return []string{"re:" + l, "done"} })
	if err := io_.Send("ping"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"re:ping", "done"} {
		if got, err := io_.Recv(); got != want || err != nil {
			t.Fatalf("Recv = %q, %v; want %q", got, err, want)
		}
	}
	if err := io_.Send("a\nb"); !errors.Is(err, procjail.ErrNewline) {
		t.Fatalf("newline: %v", err)
	}
	io_.Kill()
	if io_.Alive() {
		t.Fatal("alive after Kill")
	}
	if _, err := io_.Recv(); err != io.EOF {
		t.Fatalf("Recv after Kill = %v", err)
	}
	if err := io_.Send("x"); !errors.Is(err, procjail.ErrClosed) {
		t.Fatalf("Send after Kill = %v", err)
	}
}
