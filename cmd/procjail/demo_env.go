package main

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// demoEnv is what the demo sets up on the host: a package directory with
// the script, a victim home directory with a fake SSH key, fake secrets
// in the environment, and a listener on the host's loopback.
type demoEnv struct {
	root, pkg, home string
	mark            string // part of every fake secret
	ln              net.Listener
	reachedOnce     sync.Once
	reached         chan struct{} // closed when the listener got the marker
}

func newDemoEnv() (*demoEnv, error) {
	d := &demoEnv{mark: newMark(), reached: make(chan struct{})}
	var err error
	if d.root, err = os.MkdirTemp("", "procjail-demo-"); err != nil {
		return nil, err
	}
	if err = d.writeFiles(); err == nil {
		d.ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		os.RemoveAll(d.root)
		return nil, err
	}
	go d.serve()
	return d, nil
}

func newMark() string {
	b := make([]byte, 12)
	rand.Read(b)
	return "PJDEMO" + strings.ToUpper(hex.EncodeToString(b))
}

// writeFiles lays out the package (readable by any uid, as a root
// caller's sandbox runs as an unprivileged one) and the victim home. The
// home is world-writable so that only the sandbox can stop the write into
// it; its .ssh is private, as a real one.
func (d *demoEnv) writeFiles() error {
	d.pkg, d.home = filepath.Join(d.root, "package"), filepath.Join(d.root, "home")
	steps := []func() error{
		func() error { return os.Chmod(d.root, 0o755) },
		func() error { return mkdirMode(d.pkg, 0o755) },
		func() error { return writeMode(d.harness(), demoScript, 0o644) },
		func() error { return mkdirMode(d.home, 0o777) },
		func() error { return mkdirMode(filepath.Join(d.home, ".ssh"), 0o700) },
		func() error { return writeMode(d.keyPath(), []byte(d.fakeKey()), 0o600) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

func mkdirMode(p string, mode os.FileMode) error {
	if err := os.Mkdir(p, mode); err != nil {
		return err
	}
	return os.Chmod(p, mode) // past the umask
}

func writeMode(p string, b []byte, mode os.FileMode) error {
	if err := os.WriteFile(p, b, mode); err != nil {
		return err
	}
	return os.Chmod(p, mode)
}

func (d *demoEnv) harness() string     { return filepath.Join(d.pkg, "install.sh") }
func (d *demoEnv) keyPath() string     { return filepath.Join(d.home, ".ssh", "id_rsa") }
func (d *demoEnv) writeTarget() string { return filepath.Join(d.home, "procjail-demo-was-here") }

func (d *demoEnv) fakeKey() string {
	return "-----BEGIN OPENSSH PRIVATE KEY-----\nfake key for the procjail demo " + d.mark + "\n-----END OPENSSH PRIVATE KEY-----\n"
}

func (d *demoEnv) port() int { return d.ln.Addr().(*net.TCPAddr).Port }

// plantSecrets puts fake secrets and the fake home into procjail's own
// environment, where a sandbox would inherit them if they were not
// stripped; restore puts the environment back.
func (d *demoEnv) plantSecrets() (restore func()) {
	planted := map[string]string{
		"HOME":                  d.home,
		"GITHUB_TOKEN":          "ghp_" + d.mark,
		"AWS_SECRET_ACCESS_KEY": d.mark + "/demo",
		"NPM_TOKEN":             "npm_" + d.mark,
	}
	var undo []func()
	for k, v := range planted {
		old, had := os.LookupEnv(k)
		os.Setenv(k, v)
		undo = append(undo, func() {
			if had {
				os.Setenv(k, old)
			} else {
				os.Unsetenv(k)
			}
		})
	}
	return func() {
		for _, u := range undo {
			u()
		}
	}
}

// serve accepts connections and notes one that carries the marker.
func (d *demoEnv) serve() {
	for {
		c, err := d.ln.Accept()
		if err != nil {
			return
		}
		go d.check(c)
	}
}

func (d *demoEnv) check(c net.Conn) {
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	line, _ := bufio.NewReader(c).ReadString('\n')
	if strings.Contains(line, d.mark) {
		d.reachedOnce.Do(func() { close(d.reached) })
	}
}

func (d *demoEnv) wasReached() bool {
	select {
	case <-d.reached:
		return true
	default:
		return false
	}
}

func (d *demoEnv) close() {
	d.ln.Close()
	os.RemoveAll(d.root)
}
