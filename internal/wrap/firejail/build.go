package firejail

import (
	"slices"
	"strconv"
	"strings"
)

// Command is a firejail invocation, ready for exec.Cmd: Path, Args and Env
// as its fields of the same name, ExtraFiles (opened with OpenFiles) as
// its ExtraFiles.
type Command struct {
	// Path is firejail's absolute host path.
	Path string
	// Args is the whole argv, Args[0] being Path.
	Args []string
	// Profile is the generated profile, carried on fd 3.
	Profile string
	// Env is the environment to start firejail with: exactly the payload's
	// (firejail passes it through), never nil.
	Env []string
	// ExtraFiles are the descriptors Args refers to: ExtraFiles[i] must be
	// fd 3+i in firejail.
	ExtraFiles []Payload
	// Limitations say, one sentence each, what this command line cannot
	// enforce for this Input. Report them; never drop them.
	Limitations []string
}

// Payload is what one inherited descriptor carries, fed through a sealed
// memfd.
type Payload struct {
	Name string // what it is for, for messages
	Data []byte // its content
}

// profileFD is the descriptor of the profile (ExtraFiles[0]).
const profileFD = 3

// builder accumulates the profile's lines.
type builder struct {
	in    Input
	lines []string
}

// Build turns in into a firejail command line. It is pure: it reads no
// file and makes no system call. See the package documentation for what
// the caller must do with the result.
func Build(in Input) (Command, error) {
	if err := in.validate(); err != nil {
		return Command{}, err
	}
	b := &builder{in: in}
	b.add("# procjail: firejail profile", "quiet")
	if err := b.view(); err != nil {
		return Command{}, err
	}
	b.process()
	b.limits()
	return b.command(), nil
}

func (b *builder) add(lines ...string) { b.lines = append(b.lines, lines...) }

// process: no root, groups or capabilities, no new privileges, firejail's
// seccomp filter with procjail's additions, no namespaces, an empty
// network, and no desktop devices or buses.
func (b *builder) process() {
	if !b.in.AsRoot {
		b.add("noroot")
	}
	b.add("nogroups", "caps.drop all", "nonewprivs",
		"seccomp "+strings.Join(extraSyscalls, ","), "seccomp.block-secondary", "restrict-namespaces",
		"ipc-namespace")
	if b.in.UnshareNet {
		b.add("net none")
	}
	b.add("hostname "+b.in.hostname(),
		"nosound", "no3d", "nodvd", "notv", "novideo", "nou2f", "noinput",
		"dbus-user none", "dbus-system none",
		"deterministic-exit-code", "deterministic-shutdown")
}

// extraSyscalls are denied on top of firejail's default list: procjail's
// filter denies them and firejail's default does not.
var extraSyscalls = []string{"io_uring_setup", "io_uring_enter", "io_uring_register", "kcmp", "pidfd_getfd"}

// limits: rlimits, never an address space limit.
func (b *builder) limits() {
	for _, l := range []struct {
		name string
		v    uint64
	}{{"nofile", b.in.Limits.NoFile}, {"nproc", b.in.Limits.NProc}, {"cpu", b.in.Limits.CPUSeconds},
		{"fsize", b.in.Limits.FileSize}, {"sigpending", b.in.Limits.SigPending}} {
		if l.v > 0 {
			b.add("rlimit-" + l.name + " " + strconv.FormatUint(l.v, 10))
		}
	}
}

func (b *builder) command() Command {
	profile := strings.Join(b.lines, "\n") + "\n"
	path := b.in.path()
	args := append([]string{path, "--profile=/proc/self/fd/" + strconv.Itoa(profileFD), "--"}, b.in.Argv...)
	return Command{
		Path: path, Args: args, Profile: profile,
		Env:         append(make([]string, 0, len(b.in.Env)), b.in.Env...),
		ExtraFiles:  []Payload{{Name: "profile", Data: []byte(profile)}},
		Limitations: limitations(b.in),
	}
}

// sorted returns a sorted copy.
func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
