package bwrap

import (
	"bytes"
	"strconv"
	"strings"
)

// builder accumulates the options and the descriptors they refer to.
// ExtraFiles[0] is reserved for the options themselves.
type builder struct {
	opts  []string
	files []Payload
}

// Build turns in into a bwrap command line. It is pure: it reads no file
// and makes no system call, so the same Input always gives the same
// Command. See the package documentation for what the caller must do with
// the result.
func Build(in Input) (Command, error) {
	if err := in.validate(); err != nil {
		return Command{}, err
	}
	b := &builder{files: []Payload{{Name: "options"}}}
	b.namespaces(in)
	b.process(in)
	b.environment(in)
	b.seccomp(in)
	if err := b.view(in); err != nil {
		return Command{}, err
	}
	return b.command(in), nil
}

func (b *builder) add(opts ...string) { b.opts = append(b.opts, opts...) }

// fd registers a payload and returns its descriptor number, as an option
// argument.
func (b *builder) fd(p Payload) string {
	b.files = append(b.files, p)
	return strconv.Itoa(firstFD + len(b.files) - 1)
}

// namespaces: every namespace bwrap knows, a user namespace always (a
// root caller's bwrap would otherwise skip it), the network shared only on
// request, and no nested user namespaces inside.
func (b *builder) namespaces(in Input) {
	b.add("--unshare-all", "--unshare-user")
	if !in.UnshareNet {
		b.add("--share-net")
	}
	b.add("--disable-userns")
}

// process: the payload dies with its launcher, has its own session (no
// TIOCSTI into the caller's terminal), no capabilities, the given ids,
// host name and working directory.
func (b *builder) process(in Input) {
	b.add("--die-with-parent", "--new-session", "--cap-drop", "ALL",
		"--uid", strconv.Itoa(in.UID), "--gid", strconv.Itoa(in.GID),
		"--hostname", in.hostname(), "--chdir", in.dir())
}

// environment: the payload gets exactly in.Env. The values travel on the
// options descriptor, never on bwrap's visible command line.
func (b *builder) environment(in Input) {
	b.add("--clearenv")
	for _, kv := range in.Env {
		name, value, _ := strings.Cut(kv, "=")
		b.add("--setenv", name, value)
	}
}

// seccomp: bwrap installs the filter after its own setup, just before it
// execs the payload.
func (b *builder) seccomp(in Input) {
	if len(in.Seccomp) > 0 {
		b.add("--seccomp", b.fd(Payload{Name: "seccomp", Data: bytes.Clone(in.Seccomp)}))
	}
}

func (b *builder) command(in Input) Command {
	var data []byte
	for _, o := range b.opts {
		data = append(append(data, o...), 0)
	}
	b.files[0].Data = data
	args := append([]string{in.path(), "--args", strconv.Itoa(firstFD), "--"}, in.Argv...)
	c := Command{Path: in.path(), Args: args, Options: b.opts, Env: []string{}, ExtraFiles: b.files}
	if in.AsRoot {
		c.Credential = &IDs{UID: in.HostUID, GID: in.HostGID}
	}
	return c
}
