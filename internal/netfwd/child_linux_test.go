package netfwd

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// childEnv holds the JSON childConfig of a re-executed sandbox child.
const childEnv = "PROCJAIL_NETFWD_TEST_CHILD"

// childConfig says what the sandbox child listens on.
type childConfig struct {
	Ports []uint16 `json:"ports"`
	UDP   bool     `json:"udp"`
}

// probe is one thing the child tries from inside its namespace.
type probe struct {
	Name string `json:"name"`
	Kind string `json:"kind"` // http, raw, connect, udp
	Addr string `json:"addr"`
	Data string `json:"data,omitempty"`
}

// result is what a probe got.
type result struct {
	Name  string `json:"name"`
	OK    bool   `json:"ok"`
	Err   string `json:"err,omitempty"`
	Errno int    `json:"errno,omitempty"`
	Body  string `json:"body,omitempty"`
	Sent  int64  `json:"sent"`
	Recv  int64  `json:"recv"`
}

// probeBound bounds each probe, so that a broken relay fails the test
// instead of hanging it.
const probeBound = 20 * time.Second

// sandboxChild plays the stage: inside its fresh network namespace it
// brings lo up, listens, sends the sockets over fd 3, then runs the probes
// it is sent and reports their results.
func sandboxChild() int {
	ctl := os.NewFile(3, "control")
	var cfg childConfig
	if err := json.Unmarshal([]byte(os.Getenv(childEnv)), &cfg); err != nil {
		return childFail(ctl, err)
	}
	if err := bringLoUp(); err != nil {
		return childFail(ctl, err)
	}
	files, err := ListenWith(cfg.Ports, ListenOptions{UDP: cfg.UDP})
	if err != nil {
		return childFail(ctl, err)
	}
	eps, err := DescribeAll(files)
	if err == nil {
		err = SendFDs(ctl, files, []byte(Ports(eps)))
	}
	closeFiles(files)
	if err != nil {
		return childFail(ctl, err)
	}
	return runProbes(ctl)
}

// childFail reports a setup failure as a JSON line, as a stage would.
func childFail(ctl *os.File, err error) int {
	json.NewEncoder(ctl).Encode(map[string]string{"failed": err.Error()})
	return 1
}

func runProbes(ctl *os.File) int {
	var probes []probe
	if err := json.NewDecoder(bufio.NewReader(ctl)).Decode(&probes); err != nil {
		return 2
	}
	results := make([]result, len(probes))
	for i, p := range probes {
		results[i] = runProbe(p)
	}
	if err := json.NewEncoder(ctl).Encode(results); err != nil {
		return 3
	}
	return 0
}

func runProbe(p probe) result {
	r := result{Name: p.Name}
	var err error
	switch p.Kind {
	case "http":
		err = probeHTTP(p, &r)
	case "raw":
		err = probeRaw(p, &r)
	case "connect":
		err = probeConnect(p)
	case "udp":
		err = probeUDP(p, &r)
	default:
		err = fmt.Errorf("unknown probe kind %q", p.Kind)
	}
	r.OK = err == nil
	if err != nil {
		r.Err = err.Error()
		var errno syscall.Errno
		if errors.As(err, &errno) {
			r.Errno = int(errno)
		}
	}
	return r
}

// counts are the bytes a probe sent and received, from any goroutine.
type counts struct{ sent, recv atomic.Int64 }

func (c *counts) into(r *result) { r.Sent, r.Recv = c.sent.Load(), c.recv.Load() }

// countConn counts the bytes a probe sent and received.
type countConn struct {
	net.Conn
	n *counts
}

func (c countConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	c.n.recv.Add(int64(n))
	return n, err
}

// Write counts before writing: the peer may answer, and the probe end,
// before this goroutine runs again.
func (c countConn) Write(b []byte) (int, error) {
	c.n.sent.Add(int64(len(b)))
	n, err := c.Conn.Write(b)
	c.n.sent.Add(int64(n - len(b)))
	return n, err
}

func probeHTTP(p probe, r *result) error {
	var n counts
	defer n.into(r)
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return countConn{c, &n}, nil
	}
	client := &http.Client{Timeout: probeBound, Transport: &http.Transport{DialContext: dial, DisableKeepAlives: true}}
	resp, err := client.Get("http://" + p.Addr + "/")
	if err != nil {
		return err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	client.CloseIdleConnections()
	r.Body = string(body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("status %s", resp.Status)
	}
	return err
}

// probeRaw sends Data, half-closes, and reads until the end of stream.
func probeRaw(p probe, r *result) error {
	c, err := net.DialTimeout("tcp", p.Addr, probeBound)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(probeBound))
	var n counts
	defer n.into(r)
	cc := countConn{c, &n}
	if _, err := io.WriteString(cc, p.Data); err != nil {
		return err
	}
	c.(*net.TCPConn).CloseWrite()
	body, err := io.ReadAll(cc)
	r.Body = string(body)
	return err
}

func probeConnect(p probe) error {
	c, err := net.DialTimeout("tcp", p.Addr, probeBound)
	if err == nil {
		c.Close()
	}
	return err
}

func probeUDP(p probe, r *result) error {
	c, err := net.Dial("udp", p.Addr)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(probeBound))
	var cn counts
	defer cn.into(r)
	if _, err := io.WriteString(countConn{c, &cn}, p.Data); err != nil {
		return err
	}
	b := make([]byte, 2048)
	n, err := countConn{c, &cn}.Read(b)
	r.Body = string(b[:n])
	return err
}

// bringLoUp sets IFF_UP on "lo", as the stage does.
func bringLoUp() error {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq("lo")
	if err != nil {
		return err
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr); err != nil {
		return fmt.Errorf("SIOCGIFFLAGS: %w", err)
	}
	ifr.SetUint16(ifr.Uint16() | unix.IFF_UP)
	if err := unix.IoctlIfreq(fd, unix.SIOCSIFFLAGS, ifr); err != nil {
		return fmt.Errorf("SIOCSIFFLAGS: %w", err)
	}
	return nil
}
