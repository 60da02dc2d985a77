package netfwd

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"syscall"

	"golang.org/x/sys/unix"
)

// SendFDs sends files and meta over conn, a connected SOCK_STREAM unix
// socket, as one frame: the files travel as SCM_RIGHTS with the frame's
// first byte. The receiver must read the frame with [RecvFDs]: a plain read
// would drop the files. At most [MaxFDs] files and [MaxMeta] bytes of meta.
// The caller keeps its own copies of files and should close them once sent.
func SendFDs(conn *os.File, files []*os.File, meta []byte) error {
	buf, err := encodeFrame(len(files), meta)
	if err != nil {
		return err
	}
	rc, err := streamConn(conn)
	if err != nil {
		return err
	}
	fds := make([]int, len(files))
	for i, f := range files {
		fds[i] = int(f.Fd())
	}
	n, err := sendmsg(rc, buf, unix.UnixRights(fds...))
	runtime.KeepAlive(files)
	if err != nil {
		return fmt.Errorf("netfwd: sending %d files: %w", len(files), err)
	}
	// The files went with the first byte; the rest is plain data.
	if _, err := conn.Write(buf[n:]); err != nil {
		return fmt.Errorf("netfwd: sending the rest of the frame: %w", err)
	}
	return nil
}

// streamConn returns conn's raw connection after checking that it is a
// SOCK_STREAM socket.
func streamConn(conn *os.File) (syscall.RawConn, error) {
	rc, err := conn.SyscallConn()
	if err != nil {
		return nil, fmt.Errorf("netfwd: %s: %w", conn.Name(), err)
	}
	var typ int
	var serr error
	if err := rc.Control(func(fd uintptr) { typ, serr = unix.GetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_TYPE) }); err != nil {
		return nil, fmt.Errorf("netfwd: %s: %w", conn.Name(), err)
	}
	if serr != nil {
		return nil, fmt.Errorf("netfwd: %s is not a socket: %w (pass a unix socket from socketpair)", conn.Name(), serr)
	}
	if typ != unix.SOCK_STREAM {
		return nil, fmt.Errorf("netfwd: %s is a socket of type %d: files are passed over SOCK_STREAM sockets only", conn.Name(), typ)
	}
	return rc, nil
}

// sendmsg sends buf with oob once, waiting while the socket is full.
func sendmsg(rc syscall.RawConn, buf, oob []byte) (n int, err error) {
	werr := rc.Write(func(fd uintptr) bool {
		for {
			n, err = unix.SendmsgN(int(fd), buf, oob, nil, unix.MSG_NOSIGNAL)
			if err != unix.EINTR {
				return err != unix.EAGAIN
			}
		}
	})
	if werr != nil {
		return 0, werr
	}
	return n, err
}

// RecvFDs reads one frame sent by [SendFDs] from conn: its files (opened
// close-on-exec) and meta. It accepts at most max files (max <= 0 or above
// MaxFDs means MaxFDs); a frame with more is an error, and every file
// received is closed on any error. If the next byte on conn does not start a
// frame, RecvFDs returns [ErrNoFrame] and consumes nothing. It reads exactly
// the frame, so the caller can go on reading the stream after it. Deadlines
// set on conn apply.
func RecvFDs(conn *os.File, max int) ([]*os.File, []byte, error) {
	if max <= 0 || max > MaxFDs {
		max = MaxFDs
	}
	rc, err := streamConn(conn)
	if err != nil {
		return nil, nil, err
	}
	if err := peekFrame(rc); err != nil {
		return nil, nil, err
	}
	r := &fdReader{rc: rc, oob: make([]byte, unix.CmsgSpace(max*4))}
	files, meta, err := r.frame(max)
	if err != nil {
		closeFDs(r.fds)
		return nil, nil, err
	}
	return files, meta, nil
}

// peekFrame looks at the next byte without consuming it.
func peekFrame(rc syscall.RawConn) error {
	var b [1]byte
	n, _, _, err := recvmsg(rc, b[:], nil, unix.MSG_PEEK)
	switch {
	case err != nil:
		return fmt.Errorf("netfwd: waiting for the file frame: %w", err)
	case n == 0:
		return fmt.Errorf("netfwd: waiting for the file frame: %w (the peer closed the socket)", io.ErrUnexpectedEOF)
	case b[0] != frameMagic[0]:
		return ErrNoFrame
	}
	return nil
}

// recvmsg receives once into buf and oob, waiting for data.
func recvmsg(rc syscall.RawConn, buf, oob []byte, flags int) (n, oobn, rflags int, err error) {
	rerr := rc.Read(func(fd uintptr) bool {
		for {
			n, oobn, rflags, _, err = unix.Recvmsg(int(fd), buf, oob, flags)
			if err != unix.EINTR {
				return err != unix.EAGAIN
			}
		}
	})
	if rerr != nil {
		return 0, 0, 0, rerr
	}
	return n, oobn, rflags, err
}

// fdReader reads a frame, collecting every file descriptor that arrives.
type fdReader struct {
	rc  syscall.RawConn
	oob []byte
	fds []int
}

// frame reads a header and its meta, and checks the files that came.
func (r *fdReader) frame(max int) ([]*os.File, []byte, error) {
	hb := make([]byte, headerLen)
	if err := r.full(hb); err != nil {
		return nil, nil, err
	}
	h, err := decodeHeader(hb)
	if err != nil {
		return nil, nil, err
	}
	meta := make([]byte, h.metaLen)
	if err := r.full(meta); err != nil {
		return nil, nil, err
	}
	if len(r.fds) != h.nfds || h.nfds > max {
		return nil, nil, fmt.Errorf("netfwd: the frame announced %d files, %d arrived, at most %d accepted", h.nfds, len(r.fds), max)
	}
	files := make([]*os.File, len(r.fds))
	for i, fd := range r.fds {
		files[i] = os.NewFile(uintptr(fd), fmt.Sprintf("netfwd-received-%d", i))
	}
	return files, meta, nil
}

// full fills buf from the stream, keeping any files that arrive.
func (r *fdReader) full(buf []byte) error {
	for len(buf) > 0 {
		n, oobn, flags, err := recvmsg(r.rc, buf, r.oob, unix.MSG_CMSG_CLOEXEC)
		if err != nil {
			return fmt.Errorf("netfwd: reading the file frame: %w", err)
		}
		if err := r.keep(r.oob[:oobn]); err != nil {
			return err
		}
		if flags&unix.MSG_CTRUNC != 0 {
			return errors.New("netfwd: the peer sent more files than accepted; the kernel dropped the rest")
		}
		if n == 0 {
			return fmt.Errorf("netfwd: reading the file frame: %w", io.ErrUnexpectedEOF)
		}
		buf = buf[n:]
	}
	return nil
}

// keep parses control messages and records the file descriptors in them.
func (r *fdReader) keep(oob []byte) error {
	if len(oob) == 0 {
		return nil
	}
	msgs, err := unix.ParseSocketControlMessage(oob)
	if err != nil {
		return fmt.Errorf("netfwd: parsing control messages: %w", err)
	}
	for _, m := range msgs {
		fds, err := unix.ParseUnixRights(&m)
		if err != nil {
			continue // credentials or other messages carry no files
		}
		r.fds = append(r.fds, fds...)
	}
	return nil
}

func closeFDs(fds []int) {
	for _, fd := range fds {
		unix.Close(fd)
	}
}
