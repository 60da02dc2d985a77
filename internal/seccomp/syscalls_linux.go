//go:build linux && (amd64 || arm64)

package seccomp

//go:generate go run mksysnum.go

// lookup returns the number of a system call on the build architecture;
// ok is false for names that do not exist here. The table (sysNrs) is
// generated from golang.org/x/sys/unix.
func lookup(name string) (nr uint32, ok bool) {
	nr, ok = sysNrs[name]
	return nr, ok
}
