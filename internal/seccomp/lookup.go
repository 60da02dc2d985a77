package seccomp

// Lookup returns the number of the named system call on the build
// architecture, using the kernel's names ("setsid", "newfstatat",
// "_sysctl"), and false when this architecture has no such call or the
// filter is unsupported here.
func Lookup(name string) (uint32, bool) { return lookup(name) }
