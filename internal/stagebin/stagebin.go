// Package stagebin provides the program procjail executes to build a
// sandbox: a small stage program embedded in the library and written once
// per process to a sealed memfd. A stage started this way costs the same
// whatever the caller's program is (its size, its package initialisers),
// and the payload cannot modify it through /proc/<stage>/exe (the runc
// CVE-2019-5736 class): the memfd is sealed against writes.
//
// Where no program is embedded for the architecture, or the kernel refuses
// executable memfds (vm.memfd_noexec=2), the caller's own binary is used,
// re-executed through /proc/self/exe (procjail's package initialiser
// turns it into the stage).
package stagebin

//go:generate go run ./gen
