package fsview

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// maxSymlinkHops is the kernel's limit on symlinks in one lookup.
const maxSymlinkHops = 40

// maxInterpreterDepth is the kernel's limit on nested "#!" interpreters.
const maxInterpreterDepth = 4

// covered reports whether host path p already appears at the same path
// inside: under a bind whose source and target agree, or as a recreated
// symlink.
func (b *builder) covered(p string) bool {
	if shownBy(b.ops, p) || shownBy(b.user, p) {
		return true
	}
	for _, op := range b.ops {
		if op.Kind == OpSymlink && op.Target == p {
			return true
		}
	}
	return false
}

// expose makes host path p resolve inside the view as it does on the host:
// it walks p like the kernel does, recreating every symlink met outside
// what the view already shows, and binds the final file (read-only) when
// it is not shown yet. It returns the symlink-free host path p names, and
// false when the walk entered a caller-configured mount: what lies there
// is the sandboxed code's, resolves inside the view by itself, and is
// never followed on the host (a planted link could point anywhere).
func (b *builder) expose(p string) (string, bool, error) {
	return b.walk(p, true)
}

// resolve is expose without recording anything.
func (b *builder) resolve(p string) (string, bool, error) {
	return b.walk(p, false)
}

func (b *builder) walk(p string, record bool) (string, bool, error) {
	todo := splitPath(p)
	cur := "/"
	for hops := 0; len(todo) > 0; {
		name := todo[0]
		todo = todo[1:]
		if name == ".." {
			cur = filepath.Dir(cur)
			continue
		}
		next := filepath.Join(cur, name)
		if fromUser(b.user, next) {
			return "", false, nil
		}
		link, isLink, err := readLink(next)
		if err != nil {
			return "", false, err
		}
		if !isLink {
			cur = next
			continue
		}
		if hops++; hops > maxSymlinkHops {
			return "", false, stepErr("expose", p, fmt.Errorf("more than %d symlinks", maxSymlinkHops))
		}
		if record && !b.covered(next) {
			b.add(Op{Kind: OpSymlink, Target: next, LinkTo: link})
		}
		if filepath.IsAbs(link) {
			cur = "/"
		}
		todo = append(splitPath(link), todo...)
	}
	if record && !b.covered(cur) {
		b.add(Op{Kind: OpBindRO, Source: cur, Target: cur, Access: AccessReadExec})
	}
	return cur, true, nil
}

// splitPath splits p into components, dropping empty ones and ".".
func splitPath(p string) []string {
	var out []string
	for _, c := range strings.Split(p, "/") {
		if c != "" && c != "." {
			out = append(out, c)
		}
	}
	return out
}

// readLink lstat()s p and returns its symlink text when it is one.
func readLink(p string) (string, bool, error) {
	fi, err := os.Lstat(p)
	if err != nil {
		return "", false, stepErr("lstat", p, err)
	}
	if fi.Mode()&fs.ModeSymlink == 0 {
		return "", false, nil
	}
	link, err := os.Readlink(p)
	if err != nil {
		return "", false, stepErr("readlink", p, err)
	}
	return link, true, nil
}

// addRuntime makes the runtime work inside. A runtime inside a
// caller-configured mount is the sandboxed code's own: it is visible
// through that mount, and nothing (interpreter, libraries, prefix) is
// derived from its content, since a planted "#!/etc/shadow" or DT_RUNPATH
// would otherwise bind host files in.
func (b *builder) addRuntime() error {
	b.runtimeFrom = len(b.ops)
	return b.addProgram(b.req.Runtime, 0)
}

// addTree binds host directory dir at the same path, read-only, replacing
// the runtime steps already made below it (it shows them all).
func (b *builder) addTree(dir string) {
	kept := b.ops[:b.runtimeFrom]
	for _, op := range b.ops[b.runtimeFrom:] {
		if !strictlyUnder(op.Target, dir) {
			kept = append(kept, op)
		}
	}
	b.ops = append(kept, Op{Kind: OpBindRO, Source: dir, Target: dir, Access: AccessReadExec})
}

func (b *builder) addProgram(p string, depth int) error {
	if depth > maxInterpreterDepth {
		return invalid(p, "more than %d nested #! interpreters", maxInterpreterDepth)
	}
	if fromUser(b.user, p) {
		return nil
	}
	if err := b.addPrefixes(p); err != nil {
		return err
	}
	real, trusted, err := b.expose(p)
	if err != nil || !trusted {
		return withHintIf(err, "the runtime must exist on the host")
	}
	return b.addProgramDeps(real, depth)
}

// addProgramDeps adds the "#!" interpreter of a script, or the shared
// libraries of an ELF program.
func (b *builder) addProgramDeps(real string, depth int) error {
	head, err := readHead(real)
	if err != nil {
		return stepErr("read", real, err)
	}
	if interp, _, ok := parseShebang(head); ok {
		if !filepath.IsAbs(interp) || hasDotDot(interp) {
			return nil // resolved against the cwd at run time: nothing to bind
		}
		return b.addProgram(filepath.Clean(interp), depth+1)
	}
	if !bytes.HasPrefix(head, []byte("\x7fELF")) {
		return nil
	}
	deps, err := ResolveELF(real)
	if err != nil {
		return withHint(stepErr("resolve-elf", real, err), "a shared library the runtime needs is missing on the host (check with ldd)")
	}
	for _, dep := range deps {
		if _, _, err := b.expose(dep); err != nil {
			return err
		}
	}
	return nil
}

// readHead returns the first 256 bytes of a file (the kernel's "#!" buffer).
func readHead(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, 256)
	n, err := io.ReadFull(f, buf)
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		err = nil
	}
	return buf[:n], err
}

// parseShebang parses a "#!" line as the kernel does: the interpreter is
// the first word, the rest (trimmed) is one optional argument.
func parseShebang(head []byte) (interp, arg string, ok bool) {
	if !bytes.HasPrefix(head, []byte("#!")) {
		return "", "", false
	}
	line := head[2:]
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	s := strings.Trim(string(line), " \t")
	if s == "" {
		return "", "", false
	}
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		return s[:i], strings.Trim(s[i:], " \t"), true
	}
	return s, "", true
}

// addPrefixes binds the install prefix of a node or python that lives
// outside the system directories (<prefix>/bin/node → <prefix>), so its
// standard library is found. Both the path as given and its resolved form
// are considered (a venv's bin/python is a symlink to the real
// interpreter, but the venv is what python looks for next to it).
func (b *builder) addPrefixes(p string) error {
	real, trusted, err := b.resolve(p)
	if err != nil || !trusted {
		return withHintIf(err, "the runtime must exist on the host")
	}
	for _, exe := range []string{p, real} {
		prefix, err := b.runtimePrefix(exe)
		if err != nil {
			return err
		}
		if prefix != "" && !b.covered(prefix) {
			b.addTree(prefix)
		}
	}
	return nil
}

// broadPrefixes are never bound as a runtime prefix: they hold far more
// than one runtime.
var broadPrefixes = map[string]bool{"/": true, "/usr": true, "/usr/local": true, "/opt": true,
	"/home": true, "/root": true, "/var": true, "/srv": true, "/tmp": true, "/etc": true}

// runtimePrefix returns the resolved prefix directory of exe when exe is
// <prefix>/bin/<name> of a recognised runtime install, else "":
//   - python*, pypy*: <prefix>/pyvenv.cfg or <prefix>/lib/python* exists;
//   - node, nodejs, bun, deno: <prefix>/lib/node_modules or <prefix>/include/node exists.
func (b *builder) runtimePrefix(exe string) (string, error) {
	dir := filepath.Dir(exe)
	if filepath.Base(dir) != "bin" {
		return "", nil
	}
	prefix, trusted, err := b.resolve(filepath.Dir(dir))
	if err != nil || !trusted || broadPrefixes[prefix] {
		return "", err
	}
	if !hasRuntimeMarker(prefix, filepath.Base(exe)) {
		return "", nil
	}
	return prefix, nil
}

func hasRuntimeMarker(prefix, name string) bool {
	switch {
	case strings.HasPrefix(name, "python"), strings.HasPrefix(name, "pypy"):
		if exists(filepath.Join(prefix, "pyvenv.cfg")) {
			return true
		}
		m, _ := filepath.Glob(filepath.Join(prefix, "lib", "python*"))
		return len(m) > 0
	case name == "node", name == "nodejs", name == "bun", name == "deno":
		return exists(filepath.Join(prefix, "lib", "node_modules")) || exists(filepath.Join(prefix, "include", "node"))
	}
	return false
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
