package linechan

import "errors"

// ErrLineTooLong is returned by [Reader.ReadLine] when the child sends more
// than the maximum line length without a newline. The rest of that line is
// skipped by the next read.
var ErrLineTooLong = errors.New("procjail: line longer than the maximum line length")

// ErrClosed is returned by a [Reader] or [Writer] used after its Close, and by
// a call that was blocked when Close was called.
var ErrClosed = errors.New("procjail: channel closed")

// ErrNewlineInLine is returned by [Writer.WriteLine] for a line that contains
// "\n": it would arrive as several lines. Nothing is written.
var ErrNewlineInLine = errors.New("procjail: line contains a newline")

// ErrPartialWrite is returned by [Writer.WriteLine] when a deadline, a
// cancellation or an error stopped it after part of a line was written. The
// child has received a truncated line that the next line would be glued to,
// so the Writer refuses every later line.
var ErrPartialWrite = errors.New("procjail: line only partly written; the child's stdin is out of sync")
