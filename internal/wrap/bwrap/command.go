package bwrap

// Command is a bwrap invocation, ready for exec.Cmd: Path and Args as its
// fields of the same name, Env as its Env, and ExtraFiles (opened with
// OpenFiles) as its ExtraFiles.
type Command struct {
	// Path is bwrap's absolute host path.
	Path string
	// Args is the whole argv, Args[0] being Path: `bwrap --args 3 --`
	// followed by the payload's argv.
	Args []string
	// Options are the bwrap options carried NUL-separated on fd 3 (the
	// data of ExtraFiles[0]). They are here for display and tests.
	Options []string
	// Env is the environment to start bwrap with: always empty and never
	// nil (a nil exec.Cmd.Env would mean the caller's whole environment,
	// readable inside at /proc/1/environ).
	Env []string
	// ExtraFiles are the descriptors Args and Options refer to:
	// ExtraFiles[i] must be fd 3+i in bwrap, and bwrap must inherit no
	// other descriptor above 2.
	ExtraFiles []Payload
	// Credential, when not nil, is the host uid and gid to start bwrap as,
	// with no supplementary groups. It is set when the caller is root.
	Credential *IDs
}

// Payload is what one inherited descriptor carries: either Data, fed
// through a sealed memfd, or the host file at Path, opened with O_PATH
// without following any symlink.
type Payload struct {
	// Name says what the descriptor is for ("options", "seccomp", or the
	// sandbox path it provides), for messages.
	Name string
	// Data is the content bwrap reads, when Path is "".
	Data []byte
	// Path is the host file or directory to bind, when not "".
	Path string
}

// IDs are a host uid and gid.
type IDs struct {
	UID, GID int
}

// firstFD is the descriptor number of ExtraFiles[0], as exec.Cmd assigns it.
const firstFD = 3
