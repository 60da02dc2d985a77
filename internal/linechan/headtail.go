package linechan

import "fmt"

// headTail keeps the first headMax bytes of a stream and the last bytes of
// the rest (up to the size of tail), and counts what falls in between.
type headTail struct {
	headMax int
	head    []byte
	tail    ring
	total   int64
}

// newHeadTail splits limit bytes between a head (a quarter) and a tail (the
// rest): the start of a crash and its end are both kept.
func newHeadTail(limit int) *headTail {
	headMax := limit / 4
	return &headTail{headMax: headMax, tail: ring{max: limit - headMax}}
}

func (c *headTail) write(p []byte) {
	c.total += int64(len(p))
	if room := c.headMax - len(c.head); room > 0 {
		k := min(room, len(p))
		c.head = append(c.head, p[:k]...)
		p = p[k:]
	}
	c.tail.write(p)
}

// dropped is the number of bytes kept neither in the head nor in the tail.
func (c *headTail) dropped() int64 {
	return c.total - int64(len(c.head)) - int64(c.tail.n)
}

// bytes returns a copy of the head, a marker saying how much was dropped
// (only if something was), and the tail.
func (c *headTail) bytes() []byte {
	var marker string
	if d := c.dropped(); d > 0 {
		marker = fmt.Sprintf("\n[... %d bytes dropped ...]\n", d)
	}
	out := make([]byte, 0, len(c.head)+len(marker)+c.tail.n)
	out = append(out, c.head...)
	out = append(out, marker...)
	return c.tail.appendTo(out)
}

// ring holds the last max bytes written to it. Its buffer is allocated on
// first use.
type ring struct {
	max   int
	buf   []byte
	start int // oldest byte
	n     int // bytes held
}

func (r *ring) write(p []byte) {
	if r.max <= 0 || len(p) == 0 {
		return
	}
	if r.buf == nil {
		r.buf = make([]byte, r.max)
	}
	if len(p) >= r.max {
		p = p[len(p)-r.max:]
		r.start, r.n = 0, 0
	}
	for len(p) > 0 {
		k := copy(r.buf[(r.start+r.n)%r.max:], p)
		p = p[k:]
		r.n += k
	}
	if r.n > r.max {
		r.start = (r.start + r.n - r.max) % r.max
		r.n = r.max
	}
}

// appendTo appends the bytes held, oldest first, to out.
func (r *ring) appendTo(out []byte) []byte {
	first := min(r.n, r.max-r.start)
	out = append(out, r.buf[r.start:r.start+first]...)
	return append(out, r.buf[:r.n-first]...)
}
