package procjail

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// job is a validated request to run one sandbox: resolved paths, the
// payload's argv and environment.
type job struct {
	cfg      Config
	harness  string // absolute, or "" for none
	workDir  string // absolute
	runtime  string // absolute path of the runtime
	argv     []string
	env      []string
	opts     spawnOptions
	group    *sandboxGroup // the sandbox\'s cgroup, or nil
	begun    time.Time     // when Spawn was called
	prepared time.Duration // time spent preparing in the caller before the clone
}

// SpawnOption changes how Spawn wires the sandbox to the caller.
type SpawnOption func(*spawnOptions)

type spawnOptions struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// WithStdio copies the payload's stdio from and to the given streams
// instead of the line channel: stdin (if non-nil) is copied to the
// payload's stdin, the payload's stdout is copied to stdout (Recv then
// returns ErrStdoutRedirected), and its stderr to stderr unless
// CaptureStderr is set. The caller's own file descriptors are never handed
// to the sandbox: a terminal given here stays out of its reach.
func WithStdio(stdin io.Reader, stdout, stderr io.Writer) SpawnOption {
	return func(o *spawnOptions) { o.stdin, o.stdout, o.stderr = stdin, stdout, stderr }
}

func newJob(harness, workDir string, cfg Config, opts []SpawnOption) (*job, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	j := &job{cfg: cfg, begun: time.Now()}
	for _, o := range opts {
		o(&j.opts)
	}
	var err error
	if j.workDir, err = checkDir(workDir); err != nil {
		return nil, err
	}
	if harness != "" {
		if j.harness, err = checkFile(harness); err != nil {
			return nil, err
		}
	}
	if j.runtime, err = lookRuntime(cfg.Runtime); err != nil {
		return nil, err
	}
	j.argv = append([]string{cfg.Runtime}, cfg.RuntimeArgs...)
	if j.harness != "" {
		j.argv = append(j.argv, j.harness)
	}
	if j.env, err = buildEnv(os.Environ(), &cfg); err != nil {
		return nil, err
	}
	return j, nil
}

func checkDir(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err == nil {
		var fi os.FileInfo
		if fi, err = os.Stat(abs); err == nil && !fi.IsDir() {
			err = fmt.Errorf("%s is not a directory", abs)
		}
	}
	if err != nil || p == "" {
		return "", &Error{Op: "spawn", Field: "work_dir", Detail: fmt.Sprintf("%q", p), Err: orEmpty(err),
			Hint: "pass an existing directory: the package under analysis"}
	}
	return abs, nil
}

func checkFile(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err == nil {
		var fi os.FileInfo
		if fi, err = os.Stat(abs); err == nil && !fi.Mode().IsRegular() {
			err = fmt.Errorf("%s is not a regular file", abs)
		}
	}
	if err != nil {
		return "", &Error{Op: "spawn", Field: "harness", Detail: fmt.Sprintf("%q", p), Err: err,
			Hint: "create the harness file first, or pass \"\" to run the runtime without one"}
	}
	return abs, nil
}

func orEmpty(err error) error {
	if err == nil {
		return errors.New("empty path")
	}
	return err
}

// lookRuntime resolves the runtime in the caller's PATH and makes it
// absolute and symlink-free, so the sandbox runs exactly that file.
func lookRuntime(name string) (string, error) {
	p, err := exec.LookPath(name)
	if err == nil {
		p, err = filepath.Abs(p)
	}
	if err == nil {
		p, err = filepath.EvalSymlinks(p)
	}
	if err != nil {
		hint := "install it or set runtime_path to an absolute path of an executable"
		if !filepath.IsAbs(name) && (errors.Is(err, fs.ErrNotExist) || errors.Is(err, exec.ErrNotFound)) {
			hint = fmt.Sprintf("%q is not in PATH: %s", name, hint)
		}
		return "", &Error{Op: "spawn", Field: "runtime_path", Detail: fmt.Sprintf("%q", name), Err: err, Hint: hint}
	}
	return p, nil
}
