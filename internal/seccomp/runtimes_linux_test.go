//go:build linux && (amd64 || arm64)

package seccomp

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"testing"

	"github.com/procjail/procjail/internal/testutil"
	"golang.org/x/sys/unix"
)

// execSpecEnv carries the command the "exec" child runs, as JSON.
const execSpecEnv = "PROCJAIL_SECCOMP_TEST_EXEC"

type execSpec struct {
	Argv []string
	Env  []string
}

func init() {
	children["exec"] = execUnderFilter
	children["go-program"] = goProgram
}

// execUnderFilter runs the command from execSpecEnv on the filtered thread,
// its output going to the child's.
func execUnderFilter() error {
	var spec execSpec
	if err := json.Unmarshal([]byte(os.Getenv(execSpecEnv)), &spec); err != nil {
		return fmt.Errorf("reading %s: %w", execSpecEnv, err)
	}
	if err := confineDefault(); err != nil {
		return err
	}
	cmd := exec.Command(spec.Argv[0], spec.Argv[1:]...)
	cmd.Env = spec.Env
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	return cmd.Run()
}

// goProgram is an ordinary Go program run under the inherited filter: it
// starts a process (os/exec probes pidfds first), and meets the filter.
func goProgram() error {
	if err := exec.Command("/bin/true").Run(); err != nil {
		return fmt.Errorf("exec /bin/true: %w", err)
	}
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return err
	}
	fmt.Println("ok")
	fmt.Println("Seccomp:", statusField(string(status), "Seccomp"))
	fmt.Println("unshare:", errName(unix.Unshare(unix.CLONE_NEWNS)))
	return nil
}

// TestRuntimesUnderFilter runs the runtimes procjail sandboxes, exec'd from
// the filtered thread, and checks they work and run filtered.
func TestRuntimesUnderFilter(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	const seccompLine = "Seccomp:\t2\n"
	cases := []struct {
		name string
		argv []string
		env  []string
		want string
	}{
		{"sh", []string{"/bin/sh", "-c", `echo ok; grep '^Seccomp:' /proc/$$/status`}, nil, "ok\n" + seccompLine},
		{"python3", []string{"/usr/bin/python3", "-c", pythonProgram}, nil, "1\n" + seccompLine},
		{"node", []string{"/usr/bin/node", "-e", nodeProgram}, nil, "1\n" + seccompLine},
		{"go", []string{exe}, []string{childEnv + "=go-program"}, "ok\nSeccomp: 2\nunshare: EPERM\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := os.Stat(c.argv[0]); err != nil {
				testutil.Skip(t, testutil.MissingFeature, c.name, err.Error())
			}
			spec, _ := json.Marshal(execSpec{Argv: c.argv, Env: append(environWithout(childEnv), c.env...)})
			got := startChild(t, "exec", func(cmd *exec.Cmd) { cmd.Env = append(cmd.Env, execSpecEnv+"="+string(spec)) })
			got.mustSucceed(t)
			if got.stdout != c.want {
				t.Errorf("%s printed %q, want %q\nstderr:\n%s", c.name, got.stdout, c.want, got.stderr)
			}
		})
	}
}

// pythonProgram starts a process and a thread and reads its own status.
const pythonProgram = `
import subprocess, threading
subprocess.run(["/bin/true"], check=True)
t = threading.Thread(target=lambda: None); t.start(); t.join()
print(1)
print([l for l in open("/proc/self/status") if l.startswith("Seccomp:")][0], end="")
`

// nodeProgram starts a process and reads its own status through libuv's
// asynchronous file I/O (which tries io_uring first).
const nodeProgram = `
const fs = require('fs');
require('child_process').execFileSync('/bin/true');
console.log(1);
fs.promises.readFile('/proc/self/status', 'utf8').then(s => {
  process.stdout.write(s.split('\n').find(l => l.startsWith('Seccomp:')) + '\n');
});
`

func environWithout(name string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if len(kv) <= len(name) || kv[:len(name)+1] != name+"=" {
			env = append(env, kv)
		}
	}
	return env
}
