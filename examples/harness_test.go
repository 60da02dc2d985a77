package examples_test

import (
	"path/filepath"
	"testing"

	"github.com/procjail/procjail"
)

// harnessCase is one harness and what only it can answer.
type harnessCase struct {
	name    string
	runtime string // a name for runtimePath
	file    string
	// setup writes a module into the work dir for the require check.
	setup func(t *testing.T, dir string)
	// exchanges are the harness-specific requests and replies.
	exchanges []exchangeCase
	exitCode  int // the code "exit" is asked for, or -1: sh has no exit
}

// exchangeCase is one request and the decoded reply it must get.
type exchangeCase struct {
	request string
	want    map[string]any
}

var harnessCases = []harnessCase{
	{
		name: "node", runtime: "node", file: "harness.js",
		setup: func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "index.js"), "exports.hello = () => 'hi';\nexports.answer = 42;\n", 0o644)
		},
		exchanges: []exchangeCase{
			{`{"id":3,"method":"eval","args":["1+1"]}`, map[string]any{"id": 3.0, "result": 2.0}},
			{`{"id":4,"method":"eval","args":["['a' + 'b', null]"]}`, map[string]any{"id": 4.0, "result": []any{"ab", nil}}},
			{`{"id":5,"method":"require","args":["."]}`, map[string]any{"id": 5.0, "result": map[string]any{"module": ".", "type": "object", "exports": []any{"answer", "hello"}}}},
			{`{"id":6,"method":"eval","args":["throw new Error('boom')"]}`, map[string]any{"id": 6.0, "error": "boom"}},
		},
		exitCode: 3,
	},
	{
		name: "python", runtime: "python3", file: "harness.py",
		setup: func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "probe_mod.py"), "ANSWER = 42\n\ndef hello():\n    return 'hi'\n", 0o644)
		},
		exchanges: []exchangeCase{
			{`{"id":3,"method":"eval","args":["1+1"]}`, map[string]any{"id": 3.0, "result": 2.0}},
			{`{"id":4,"method":"eval","args":["sorted({'b': 1, 'a': 2})"]}`, map[string]any{"id": 4.0, "result": []any{"a", "b"}}},
			{`{"id":5,"method":"require","args":["probe_mod"]}`, map[string]any{"id": 5.0, "result": map[string]any{"module": "probe_mod", "type": "module", "exports": []any{"ANSWER", "hello"}}}},
			{`{"id":6,"method":"eval","args":["1/0"]}`, map[string]any{"id": 6.0, "error": "ZeroDivisionError: division by zero"}},
		},
		exitCode: 3,
	},
	{
		name: "sh", runtime: "sh", file: "harness.sh",
		setup: func(*testing.T, string) {},
		exchanges: []exchangeCase{
			{`{"id":3,"method":"eval","args":["1+1"]}`, map[string]any{"id": 3.0, "error": "unknown method (the sh harness knows ping and echo)"}},
		},
		exitCode: -1,
	},
}

// common exchanges every harness answers the same way.
var commonExchanges = []exchangeCase{
	{`{"id":1,"method":"ping"}`, map[string]any{"id": 1.0, "result": "pong"}},
	{`{"id":"two","method":"echo","args":["x y"]}`, map[string]any{"id": "two", "result": map[string]any{"id": "two", "method": "echo", "args": []any{"x y"}}}},
}

// TestHarnesses runs each example harness under each strategy and checks
// the protocol: replies echo the id, results and errors are as documented,
// and the harness ends as asked.
func TestHarnesses(t *testing.T) {
	for _, hc := range harnessCases {
		t.Run(hc.name, func(t *testing.T) {
			runtime := runtimePath(t, hc.runtime)
			forEachStrategy(t, func(t *testing.T, s procjail.Strategy) {
				testHarness(t, hc, runtime, s)
			})
		})
	}
}

func testHarness(t *testing.T, hc harnessCase, runtime string, s procjail.Strategy) {
	root := fixtureDir(t)
	pkg := reachableDir(t)
	hc.setup(t, pkg)
	cfg := procjail.DefaultConfig()
	cfg.Runtime, cfg.Strategy, cfg.CaptureStderr = runtime, s, true
	p := spawn(t, filepath.Join(root, "harness", hc.file), pkg, cfg)
	for _, ex := range append(append([]exchangeCase{}, commonExchanges...), hc.exchanges...) {
		exchange(t, p, ex.request, ex.want)
	}
	want := 0
	if hc.exitCode >= 0 {
		exchange(t, p, `{"id":9,"method":"exit","args":[3]}`, map[string]any{"id": 9.0, "result": "bye"})
		want = hc.exitCode
	} else if err := p.CloseStdin(); err != nil {
		t.Fatalf("CloseStdin: %v", err)
	}
	if extra := readAll(t, p); len(extra) != 0 {
		t.Errorf("lines after the last reply: %q", extra)
	}
	if u := wait(t, p); u.Reason != procjail.ExitNormal || u.ExitCode != want {
		t.Errorf("usage = %v, want exited with code %d (stderr: %q)", u, want, p.Stderr())
	}
}
