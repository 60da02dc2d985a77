package testutil

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// UnprivEnv is set in the environment of the unprivileged re-run.
const UnprivEnv = "PROCJAIL_TEST_UNPRIVILEGED"

// DefaultUnprivUID is the uid the suite re-runs as (nobody), unless
// PROCJAIL_TEST_UID says otherwise.
const DefaultUnprivUID = 65534

// Main runs the tests, and then, when running as root, runs the same test
// binary again as an unprivileged uid, so that every behaviour that depends
// on the caller's privileges is tested both ways from one `go test`.
// Set PROCJAIL_TEST_ROOT_ONLY=1 to skip the second run (never in CI).
func Main(m *testing.M) {
	code := m.Run()
	if code == 0 && os.Geteuid() == 0 && os.Getenv(UnprivEnv) == "" {
		if os.Getenv("PROCJAIL_TEST_ROOT_ONLY") == "1" && os.Getenv("CI") != "true" {
			fmt.Println("testutil: PROCJAIL_TEST_ROOT_ONLY=1: not re-running as an unprivileged user")
		} else {
			code = rerunUnprivileged()
		}
	}
	os.Exit(code)
}

// Unprivileged reports whether this is the unprivileged re-run.
func Unprivileged() bool { return os.Getenv(UnprivEnv) != "" }

func unprivUID() int {
	if v, err := strconv.Atoi(os.Getenv("PROCJAIL_TEST_UID")); err == nil && v > 0 {
		return v
	}
	return DefaultUnprivUID
}

func rerunUnprivileged() int {
	uid := unprivUID()
	dir, err := os.MkdirTemp("", "procjail-unpriv-")
	if err != nil {
		return fail(err)
	}
	defer os.RemoveAll(dir)
	os.Chmod(dir, 0o755)
	bin := filepath.Join(dir, filepath.Base(os.Args[0]))
	if err := copyFile(os.Args[0], bin); err != nil {
		return fail(err)
	}
	cmd := exec.Command(bin, unprivArgs(os.Args[1:])...)
	cmd.Dir = dir
	// The canary is a secret in the re-run's own environment (what
	// /proc/<pid>/environ shows): attacks that read a caller's
	// environment look for it.
	cmd.Env = append(os.Environ(), UnprivEnv+"=1", "HOME="+dir, "TMPDIR=", "PROCJAIL_TEST_CANARY_TOKEN=canary")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(uid), Groups: []uint32{}}}
	fmt.Printf("=== testutil: re-running %s as uid %d\n", filepath.Base(os.Args[0]), uid)
	if err := runRetryingBusy(cmd); err != nil {
		fmt.Printf("--- FAIL: unprivileged re-run (uid %d): %v\n", uid, err)
		return 1
	}
	fmt.Printf("--- PASS: unprivileged re-run (uid %d)\n", uid)
	return 0
}

// unprivArgs drops flags that write files only root may write.
func unprivArgs(args []string) []string {
	drop := []string{"testlogfile", "coverprofile", "outputdir", "gocoverdir", "cpuprofile", "memprofile", "blockprofile", "mutexprofile", "trace"}
	var out []string
	for _, a := range args {
		name := strings.TrimLeft(strings.SplitN(a, "=", 2)[0], "-")
		name = strings.TrimPrefix(name, "test.")
		keep := true
		for _, d := range drop {
			if name == d {
				keep = false
			}
		}
		if keep {
			out = append(out, a)
		}
	}
	return out
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func fail(err error) int {
	fmt.Println("--- FAIL: unprivileged re-run:", err)
	return 1
}

// runRetryingBusy runs cmd, retrying while exec fails with ETXTBSY: a fork
// elsewhere in this process (a sandbox starting) may briefly hold the
// copied binary open for writing (golang.org/issue/22315).
func runRetryingBusy(cmd *exec.Cmd) error {
	for i := 0; ; i++ {
		c := exec.Command(cmd.Path, cmd.Args[1:]...)
		c.Dir, c.Env, c.Stdout, c.Stderr, c.SysProcAttr = cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr, cmd.SysProcAttr
		err := c.Run()
		if !errors.Is(err, syscall.ETXTBSY) || i == 50 {
			return err
		}
		time.Sleep(20 * time.Millisecond)
	}
}
