package procjail_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/procjail/procjail"
)

// The original procjail's usage example, line for line: a node harness
// that answers one JSON request per line.
func Example() {
	pkg, harness := exampleFixture() // a package dir and a harness.js in it
	defer os.RemoveAll(pkg)

	config, err := procjail.NewBuilder().
		Runtime("/usr/bin/node").
		MaxMemoryMB(256).
		MaxCPUSeconds(30).
		MaxFDs(64).
		AllowLocalhost(false).
		EnvPassthrough("HOME", "PATH", "NODE_PATH").
		EnvMode(procjail.EnvAllowlist).
		EnvStripSecrets(true).
		Build()
	if err != nil {
		panic(err)
	}

	proc, err := procjail.Spawn(harness, pkg, config)
	if err != nil {
		panic(err)
	}
	defer proc.Close()

	proc.Send(`{"method":"eval","args":["1+1"]}`)
	if line, err := proc.Recv(); err == nil {
		fmt.Println("observation:", line)
	}
	// Output: observation: {"result":2}
}

const exampleHarness = `const rl = require("readline").createInterface({ input: process.stdin });
rl.on("line", (l) => {
  const req = JSON.parse(l);
  if (req.method === "eval") console.log(JSON.stringify({ result: (0, eval)(req.args[0]) }));
});
`

func exampleFixture() (string, string) {
	dir, err := os.MkdirTemp("", "procjail-example-")
	if err != nil {
		panic(err)
	}
	os.Chmod(dir, 0o755)
	h := filepath.Join(dir, "harness.js")
	if err := os.WriteFile(h, []byte(exampleHarness), 0o644); err != nil {
		panic(err)
	}
	return dir, h
}
