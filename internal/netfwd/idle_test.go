package netfwd

import (
	"errors"
	"net"
	"os"
	"testing"
	"time"
)

// scriptConn is a net.Conn whose reads follow a script: each step either
// times out (after running before, to simulate the other direction moving
// data meanwhile) or returns data.
type scriptConn struct {
	net.Conn
	steps     []scriptStep
	deadlines []time.Time
}

type scriptStep struct {
	before  func()
	data    string
	timeout bool
}

func (c *scriptConn) SetReadDeadline(t time.Time) error {
	c.deadlines = append(c.deadlines, t)
	return nil
}

func (c *scriptConn) Read(b []byte) (int, error) {
	s := c.steps[0]
	c.steps = c.steps[1:]
	if s.before != nil {
		s.before()
	}
	if s.timeout {
		return 0, os.ErrDeadlineExceeded
	}
	return copy(b, s.data), nil
}

func TestIdleReader(t *testing.T) {
	t.Run("timeout while the other way moved data re-arms", func(t *testing.T) {
		act := newActivity(time.Hour)
		act.last.Store(time.Now().Add(-2 * time.Hour).UnixNano())
		other := func() { act.touch() }
		c := &scriptConn{steps: []scriptStep{{before: other, timeout: true}, {data: "hi"}}}
		n, err := idleReader{c, act}.Read(make([]byte, 8))
		if n != 2 || err != nil || len(c.deadlines) != 2 || !c.deadlines[1].After(c.deadlines[0]) {
			t.Fatalf("Read = %d, %v; deadlines %v: want data after a re-armed, later deadline", n, err, c.deadlines)
		}
	})
	t.Run("timeout with no activity ends", func(t *testing.T) {
		act := newActivity(time.Hour)
		c := &scriptConn{steps: []scriptStep{{timeout: true}, {data: "never"}}}
		_, err := idleReader{c, act}.Read(make([]byte, 8))
		if !errors.Is(err, os.ErrDeadlineExceeded) || len(c.steps) != 1 {
			t.Fatalf("Read = %v with %d steps left, want the timeout at once", err, len(c.steps))
		}
	})
	t.Run("data moves the deadline", func(t *testing.T) {
		act := newActivity(time.Hour)
		act.last.Store(0)
		c := &scriptConn{steps: []scriptStep{{data: "a"}}}
		idleReader{c, act}.Read(make([]byte, 8))
		if act.last.Load() == 0 {
			t.Fatal("reading data did not record activity")
		}
	})
	t.Run("no limit sets no deadline", func(t *testing.T) {
		c := &scriptConn{steps: []scriptStep{{data: "a"}}}
		idleReader{c, newActivity(0)}.Read(make([]byte, 8))
		if len(c.deadlines) != 0 {
			t.Fatalf("deadlines set without an idle limit: %v", c.deadlines)
		}
	})
}
