// Package linechan is the parent side of procjail's channel with the
// sandboxed child: a [Reader] for the child's stdout, one line at a time, a
// [Writer] for its stdin, and a [Drain] that empties its stderr continuously.
//
// The child is hostile. It may write a line of any length with no newline,
// flood stderr, never write at all, die in the middle of a line, or write
// bytes that are not UTF-8. Whatever it does, the parent's memory stays
// bounded (a line costs at most the maximum line length; captured stderr at
// most the drain limit) and every blocking call can be bounded by a deadline
// or a context.
//
// # Framing
//
// A line is the bytes before a "\n". Nothing else is interpreted: "\r", NUL
// and invalid UTF-8 are passed through unchanged, so a line sent as "a\r\n"
// is read as "a\r". The protocol procjail speaks on top of this is one JSON
// object per line; a caller that decodes it must validate the line itself
// (for example with [encoding/json.Valid] or [unicode/utf8.ValidString]),
// because the child controls every byte.
//
// # Files
//
// The files must be pollable, as those from [os.Pipe] are: deadlines and
// context cancellation are applied with SetReadDeadline and
// SetWriteDeadline, so no goroutine is started per call. The parent must
// close its own copy of the child's end of each pipe once the child has
// started, or end of file never arrives.
package linechan
