package seccomp

// Lookup returns the native number of the named system call, and false when
// this architecture has no such call.
func Lookup(name string) (uint32, bool) { return lookup(name) }
