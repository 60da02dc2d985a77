// Command scan runs a line-protocol harness on a package directory inside
// a procjail sandbox, sends it a few requests, and prints everything as one
// JSON document: the replies (observations), the captured stderr, what the
// sandbox enforced, and how it ended.
//
//	go run ./examples/scan -runtime node -harness examples/harness/harness.js -pkg ./some-package
//	go run ./examples/scan -runtime /usr/bin/python3 -harness examples/harness/harness.py -pkg . -send '{"id":1,"method":"eval","args":["2**10"]}'
//
// Without -send it sends a ping, a require of the package itself ("."),
// and an exit. As root, the package directory, the harness and every parent
// directory must be world-readable and -traversable: the payload runs as an
// unprivileged uid.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/procjail/procjail"
)

// maxObservations bounds how many stdout lines are kept (a package may
// print without end).
const maxObservations = 1000

// defaultRequests are sent when no -send is given.
var defaultRequests = []string{
	`{"id":1,"method":"ping"}`,
	`{"id":2,"method":"require","args":["."]}`,
	`{"id":3,"method":"exit","args":[0]}`,
}

// report is what scan prints.
type report struct {
	Strategy     procjail.Strategy    `json:"strategy"`
	Requests     []string             `json:"requests"`
	Observations []json.RawMessage    `json:"observations"`
	Truncated    bool                 `json:"truncated,omitempty"`
	Stderr       string               `json:"stderr,omitempty"`
	Usage        procjail.Usage       `json:"usage"`
	Enforced     procjail.Enforcement `json:"enforced"`
}

// listFlag collects a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, "\n") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

type options struct {
	runtime, harness, pkg, config string
	strategy                      procjail.Strategy
	timeout                       time.Duration
	requests                      listFlag
}

func parseFlags() options {
	var o options
	flag.StringVar(&o.runtime, "runtime", "node", "runtime: a name in PATH or an absolute path")
	flag.StringVar(&o.harness, "harness", "examples/harness/harness.js", "harness file the runtime runs")
	flag.StringVar(&o.pkg, "pkg", "", "package directory (the sandbox's work dir); required")
	flag.StringVar(&o.config, "config", "", "TOML config file (default: procjail's defaults)")
	flag.Var(&o.strategy, "strategy", "auto, unshare, bubblewrap, firejail or rlimits (default: the config's)")
	flag.DurationVar(&o.timeout, "timeout", 30*time.Second, "wall-clock limit of the whole run")
	flag.Var(&o.requests, "send", "a request line to send (repeatable; default: ping, require \".\", exit)")
	flag.Parse()
	if len(o.requests) == 0 {
		o.requests = defaultRequests
	}
	return o
}

func main() {
	o := parseFlags()
	if o.pkg == "" {
		fmt.Fprintln(os.Stderr, "scan: -pkg is required: the package directory to run the harness on")
		os.Exit(2)
	}
	r, err := scan(o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "scan:", err)
		os.Exit(1)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		fmt.Fprintln(os.Stderr, "scan:", err)
		os.Exit(1)
	}
}

func config(o options) (procjail.Config, error) {
	cfg := procjail.DefaultConfig()
	if o.config != "" {
		var err error
		if cfg, err = procjail.LoadConfig(o.config); err != nil {
			return cfg, err
		}
	}
	cfg.Runtime = o.runtime
	cfg.Timeout = o.timeout
	cfg.CaptureStderr = true
	if o.strategy != procjail.Auto {
		cfg.Strategy = o.strategy
	}
	return cfg, cfg.Validate()
}

// scan spawns the harness, sends every request, closes its stdin and
// reads until it exits.
func scan(o options) (*report, error) {
	cfg, err := config(o)
	if err != nil {
		return nil, err
	}
	p, err := procjail.Spawn(o.harness, o.pkg, cfg)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	r := &report{Strategy: p.Strategy(), Requests: o.requests, Enforced: p.Enforced()}
	go send(p, o.requests)
	if err := r.collect(p); err != nil {
		return nil, err
	}
	if r.Usage, err = p.Wait(); err != nil {
		return nil, err
	}
	r.Stderr = string(p.Stderr())
	return r, nil
}

// send writes the requests then closes the payload's stdin. A payload that
// exits early makes Send fail; the replies read so far still count.
func send(p *procjail.Process, requests []string) {
	for _, line := range requests {
		if err := p.Send(line); err != nil {
			break
		}
	}
	p.CloseStdin()
}

// collect reads stdout until end-of-file; a line that is not JSON is kept
// as a JSON string.
func (r *report) collect(p *procjail.Process) error {
	for {
		line, err := p.Recv()
		switch {
		case errors.Is(err, io.EOF):
			return nil
		case errors.Is(err, procjail.ErrLineTooLong):
			line = "(line longer than max_line_bytes, dropped)"
		case err != nil:
			return err
		}
		if len(r.Observations) == maxObservations {
			r.Truncated = true
			continue
		}
		r.Observations = append(r.Observations, observation(line))
	}
}

func observation(line string) json.RawMessage {
	if json.Valid([]byte(line)) {
		return json.RawMessage(line)
	}
	b, _ := json.Marshal(line)
	return b
}
