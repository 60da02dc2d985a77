package netfwd

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// MaxFDs is the most files one SendFDs call may carry: the kernel's limit
// for one SCM_RIGHTS message (SCM_MAX_FD).
const MaxFDs = 253

// MaxMeta is the largest meta blob SendFDs may carry.
const MaxMeta = 64 << 10

// ErrNoFrame is returned by RecvFDs when the peer sent something other
// than a file frame (for example a JSON message reporting a failure). Nothing
// was consumed from the socket: the caller can read that message as usual.
var ErrNoFrame = errors.New("netfwd: the peer sent no file frame")

// frameMagic starts every frame. Its first byte is 0, which never starts a
// JSON message, so a frame and a JSON message are told apart by one byte.
var frameMagic = [4]byte{0, 'P', 'J', 'F'}

// headerLen is the size of a frame header: magic, file count, meta length,
// reserved (zero).
const headerLen = 16

// header describes one frame: the files it carries and the meta that follows.
type header struct {
	nfds    int
	metaLen int
}

// encode returns the header followed by meta.
func encodeFrame(nfds int, meta []byte) ([]byte, error) {
	if nfds > MaxFDs {
		return nil, fmt.Errorf("netfwd: %d files in one frame, at most %d", nfds, MaxFDs)
	}
	if len(meta) > MaxMeta {
		return nil, fmt.Errorf("netfwd: %d bytes of meta, at most %d", len(meta), MaxMeta)
	}
	b := make([]byte, headerLen, headerLen+len(meta))
	copy(b, frameMagic[:])
	binary.LittleEndian.PutUint32(b[4:], uint32(nfds))
	binary.LittleEndian.PutUint32(b[8:], uint32(len(meta)))
	return append(b, meta...), nil
}

// decodeHeader parses and checks a frame header.
func decodeHeader(b []byte) (header, error) {
	if len(b) < headerLen || [4]byte(b[:4]) != frameMagic {
		return header{}, ErrNoFrame
	}
	h := header{nfds: int(binary.LittleEndian.Uint32(b[4:])), metaLen: int(binary.LittleEndian.Uint32(b[8:]))}
	switch {
	case binary.LittleEndian.Uint32(b[12:]) != 0:
		return header{}, errors.New("netfwd: bad frame header: reserved field is not zero")
	case h.nfds > MaxFDs:
		return header{}, fmt.Errorf("netfwd: bad frame header: %d files, at most %d", h.nfds, MaxFDs)
	case h.metaLen > MaxMeta:
		return header{}, fmt.Errorf("netfwd: bad frame header: %d bytes of meta, at most %d", h.metaLen, MaxMeta)
	}
	return h, nil
}
