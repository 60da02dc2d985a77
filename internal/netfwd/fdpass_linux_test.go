package netfwd

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// socketpair returns a pollable (non-blocking) end, as procjail's parent
// uses, and a blocking end, as a stage has.
func socketpair(t *testing.T) (parent, child *os.File) {
	t.Helper()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.SetNonblock(fds[0], true); err != nil {
		t.Fatal(err)
	}
	parent, child = os.NewFile(uintptr(fds[0]), "parent"), os.NewFile(uintptr(fds[1]), "child")
	t.Cleanup(func() { parent.Close(); child.Close() })
	return parent, child
}

// pipes returns n pipes, closed at the end of the test.
func pipes(t *testing.T, n int) (rs, ws []*os.File) {
	t.Helper()
	for range n {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Close(); w.Close() })
		rs, ws = append(rs, r), append(ws, w)
	}
	return rs, ws
}

func TestSendRecvFDs(t *testing.T) {
	for _, dir := range []string{"child to parent", "parent to child"} {
		t.Run(dir, func(t *testing.T) {
			parent, child := socketpair(t)
			from, to := child, parent
			if dir == "parent to child" {
				from, to = parent, child
			}
			rs, ws := pipes(t, 3)
			if err := SendFDs(from, rs, []byte("tcp4:80,tcp6:80")); err != nil {
				t.Fatal(err)
			}
			got, meta, err := RecvFDs(to, 8)
			if err != nil {
				t.Fatal(err)
			}
			defer closeFiles(got)
			if string(meta) != "tcp4:80,tcp6:80" || len(got) != 3 {
				t.Fatalf("got %d files, meta %q", len(got), meta)
			}
			for i := range got {
				checkSameFile(t, ws[i], got[i], i)
			}
		})
	}
}

// checkSameFile checks that r reads what w writes, and is close-on-exec.
func checkSameFile(t *testing.T, w, r *os.File, i int) {
	t.Helper()
	msg := []byte{'a' + byte(i)}
	if _, err := w.Write(msg); err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 1)
	if _, err := io.ReadFull(r, b); err != nil || b[0] != msg[0] {
		t.Fatalf("file %d: read %q, %v; want %q", i, b, err, msg)
	}
	flags, err := unix.FcntlInt(r.Fd(), unix.F_GETFD, 0)
	if err != nil || flags&unix.FD_CLOEXEC == 0 {
		t.Fatalf("file %d is not close-on-exec (flags %#x, %v)", i, flags, err)
	}
}

func TestRecvFDsLeavesWhatFollows(t *testing.T) {
	parent, child := socketpair(t)
	rs, _ := pipes(t, 1)
	if err := SendFDs(child, rs, nil); err != nil {
		t.Fatal(err)
	}
	const next = `{"type":"started"}` + "\n"
	if _, err := child.WriteString(next); err != nil {
		t.Fatal(err)
	}
	got, meta, err := RecvFDs(parent, 1)
	if err != nil {
		t.Fatal(err)
	}
	closeFiles(got)
	if len(got) != 1 || len(meta) != 0 {
		t.Fatalf("got %d files, meta %q", len(got), meta)
	}
	line, err := bufio.NewReader(parent).ReadString('\n')
	if err != nil || line != next {
		t.Fatalf("after the frame, read %q, %v; want %q", line, err, next)
	}
}

func TestRecvFDsNoFrame(t *testing.T) {
	parent, child := socketpair(t)
	const msg = `{"type":"failed","detail":"bind: address in use"}` + "\n"
	if _, err := child.WriteString(msg); err != nil {
		t.Fatal(err)
	}
	_, _, err := RecvFDs(parent, 4)
	if !errors.Is(err, ErrNoFrame) {
		t.Fatalf("RecvFDs = %v, want ErrNoFrame", err)
	}
	line, err := bufio.NewReader(parent).ReadString('\n')
	if err != nil || line != msg {
		t.Fatalf("after ErrNoFrame, read %q, %v; want the whole message %q", line, err, msg)
	}
}

func TestRecvFDsTooManyLeaksNothing(t *testing.T) {
	parent, child := socketpair(t)
	rs, _ := pipes(t, 5)
	before := fdCount(t)
	if err := SendFDs(child, rs, []byte("five")); err != nil {
		t.Fatal(err)
	}
	got, _, err := RecvFDs(parent, 2)
	if err == nil {
		closeFiles(got)
		t.Fatal("RecvFDs accepted 5 files with max 2")
	}
	if n := fdCount(t); n != before {
		t.Fatalf("%d fds open after the refused frame, %d before", n, before)
	}
}

func TestRecvFDsLargeMeta(t *testing.T) {
	parent, child := socketpair(t)
	rs, _ := pipes(t, 2)
	meta := bytes.Repeat([]byte("0123456789abcdef"), MaxMeta/16)
	errc := make(chan error, 1)
	go func() { errc <- SendFDs(child, rs, meta) }()
	got, gotMeta, err := RecvFDs(parent, 2)
	if err != nil {
		t.Fatal(err)
	}
	closeFiles(got)
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !bytes.Equal(gotMeta, meta) {
		t.Fatalf("got %d files and %d bytes of meta, want 2 and %d", len(got), len(gotMeta), len(meta))
	}
}

func TestRecvFDsErrors(t *testing.T) {
	t.Run("peer closed", func(t *testing.T) {
		parent, child := socketpair(t)
		child.Close()
		if _, _, err := RecvFDs(parent, 1); !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("RecvFDs = %v, want io.ErrUnexpectedEOF", err)
		}
	})
	t.Run("truncated", func(t *testing.T) {
		parent, child := socketpair(t)
		b, _ := encodeFrame(0, []byte("meta"))
		child.Write(b[:headerLen+2])
		child.Close()
		if _, _, err := RecvFDs(parent, 1); !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("RecvFDs = %v, want io.ErrUnexpectedEOF", err)
		}
	})
	t.Run("deadline", func(t *testing.T) {
		parent, _ := socketpair(t)
		parent.SetReadDeadline(time.Now().Add(-time.Second))
		if _, _, err := RecvFDs(parent, 1); !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("RecvFDs = %v, want os.ErrDeadlineExceeded", err)
		}
	})
	t.Run("not a socket", func(t *testing.T) {
		rs, ws := pipes(t, 1)
		if _, _, err := RecvFDs(rs[0], 1); err == nil || !strings.Contains(err.Error(), "not a socket") {
			t.Fatalf("RecvFDs on a pipe = %v", err)
		}
		if err := SendFDs(ws[0], nil, nil); err == nil {
			t.Fatal("SendFDs on a pipe succeeded")
		}
	})
	t.Run("datagram socket", func(t *testing.T) {
		fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_SEQPACKET|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			t.Fatal(err)
		}
		a, b := os.NewFile(uintptr(fds[0]), "a"), os.NewFile(uintptr(fds[1]), "b")
		defer a.Close()
		defer b.Close()
		if err := SendFDs(a, nil, nil); err == nil {
			t.Fatal("SendFDs on a SOCK_SEQPACKET socket succeeded")
		}
	})
	t.Run("too many to send", func(t *testing.T) {
		_, child := socketpair(t)
		if err := SendFDs(child, make([]*os.File, MaxFDs+1), nil); err == nil {
			t.Fatal("SendFDs accepted more than MaxFDs files")
		}
	})
}
