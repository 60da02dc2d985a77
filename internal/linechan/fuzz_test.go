package linechan

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// wantLines is what a Reader must return for input: each line, or "too
// long" for one over maxLine bytes, then end of file.
func wantLines(input []byte, maxLine int) []result {
	var out []result
	lines := bytes.Split(input, []byte("\n"))
	if len(lines[len(lines)-1]) == 0 {
		lines = lines[:len(lines)-1] // no last line after a final "\n"
	}
	for _, l := range lines {
		if len(l) > maxLine {
			out = append(out, tooLong)
		} else {
			out = append(out, result{Line: string(l)})
		}
	}
	return append(out, eof)
}

// chunks cuts input into pieces whose sizes come from seed.
func chunks(input []byte, seed uint64) [][]byte {
	var out [][]byte
	for len(input) > 0 {
		seed = seed*6364136223846793005 + 1442695040888963407
		n := min(len(input), 1+int(seed>>59)*int(seed>>61%4+1))
		out = append(out, input[:n])
		input = input[n:]
	}
	return out
}

func FuzzReader(f *testing.F) {
	f.Add([]byte("a\nbc\n"), uint8(4), uint8(1), uint64(0))
	f.Add([]byte("\n\n\r\n\x00\xff\n"), uint8(2), uint8(3), uint64(7))
	f.Add([]byte("abcdefgh\nij\nklmnopqrstuv"), uint8(3), uint8(2), uint64(42))
	f.Add([]byte(strings.Repeat("x", 300)+"\n"+strings.Repeat("y", 63)+"\n"), uint8(63), uint8(5), uint64(9))
	f.Fuzz(func(t *testing.T, input []byte, maxByte, firstByte uint8, seed uint64) {
		maxLine := 1 + int(maxByte%64)
		pr, pw := newPipe(t)
		go func() {
			for _, c := range chunks(input, seed) {
				pw.Write(c)
			}
			pw.Close()
		}()
		got := readAll(t, newReaderSize(pr, maxLine, int(firstByte)))
		checkLines(t, input, maxLine, got)
		if diff := cmp.Diff(wantLines(input, maxLine), got); diff != "" {
			t.Fatalf("maximum %d, input %q (-want +got):\n%s", maxLine, input, diff)
		}
	})
}

// checkLines asserts the properties every read must have, whatever the
// input.
func checkLines(t *testing.T, input []byte, maxLine int, got []result) {
	t.Helper()
	var joined []string
	hadTooLong := false
	for _, r := range got {
		if strings.Contains(r.Line, "\n") || len(r.Line) > maxLine {
			t.Fatalf("line %q has a newline or is over %d bytes", r.Line, maxLine)
		}
		hadTooLong = hadTooLong || r == tooLong
		if r.Err == "" {
			joined = append(joined, r.Line)
		}
	}
	if hadTooLong {
		return
	}
	s := strings.Join(joined, "\n")
	if len(joined) > 0 && bytes.HasSuffix(input, []byte("\n")) {
		s += "\n"
	}
	if s != string(input) {
		t.Fatalf("lines joined give %q, want the input %q", s, input)
	}
}
