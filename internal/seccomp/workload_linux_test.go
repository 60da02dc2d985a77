//go:build linux && (amd64 || arm64)

package seccomp

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func init() {
	children["workload"] = workload
}

// statusField returns a field of a /proc/.../status file.
func statusField(status, field string) string {
	sc := bufio.NewScanner(strings.NewReader(status))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "missing"
}

// workload runs ordinary work on the filtered thread and reports what it
// saw, as JSON.
func workload() error {
	if err := confineDefault(); err != nil {
		return err
	}
	out := map[string]string{}
	self, err := os.ReadFile("/proc/thread-self/status")
	out["read /proc/thread-self/status"] = errName(err)
	out["thread Seccomp"] = statusField(string(self), "Seccomp")
	out["thread NoNewPrivs"] = statusField(string(self), "NoNewPrivs")
	out["other threads unfiltered"] = fmt.Sprint(otherThreadsUnfiltered())
	out["exec /bin/true"] = errName(exec.Command("/bin/true").Run())
	cat, err := exec.Command("/bin/cat", "/proc/self/status").Output()
	out["exec /bin/cat"] = errName(err)
	out["cat's Seccomp"] = statusField(string(cat), "Seccomp")
	out["cat's Seccomp_filters"] = statusField(string(cat), "Seccomp_filters")
	return json.NewEncoder(os.Stdout).Encode(out)
}

// otherThreadsUnfiltered counts the process's threads without a filter:
// Install filters the calling thread only.
func otherThreadsUnfiltered() int {
	tasks, _ := filepath.Glob("/proc/self/task/*/status")
	n := 0
	for _, task := range tasks {
		b, err := os.ReadFile(task)
		if err == nil && statusField(string(b), "Seccomp") == "0" {
			n++
		}
	}
	return n
}

// TestKernelWorkloadUnderFilter shows that ordinary work, including fork and
// exec through os/exec (whose pidfd probes the filter must not kill), runs
// on the filtered thread, that the child inherits the filter, and that the
// filter stays on the calling thread.
func TestKernelWorkloadUnderFilter(t *testing.T) {
	c := startChild(t, "workload", nil)
	c.mustSucceed(t)
	var got map[string]string
	if err := json.Unmarshal([]byte(c.stdout), &got); err != nil {
		t.Fatalf("child output %q: %v", c.stdout, err)
	}
	if got["other threads unfiltered"] == "0" {
		t.Errorf("every thread of the child is filtered; Install must filter the calling thread only")
	}
	delete(got, "other threads unfiltered")
	want := map[string]string{
		"read /proc/thread-self/status": "ok",
		"thread Seccomp":                "2",
		"thread NoNewPrivs":             "1",
		"exec /bin/true":                "ok",
		"exec /bin/cat":                 "ok",
		"cat's Seccomp":                 "2",
		"cat's Seccomp_filters":         "1",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("workload under the default filter (-want +got):\n%s", diff)
	}
}
