// Command procjail runs untrusted programs (package install scripts,
// binaries) inside a procjail sandbox, reports what this host can enforce,
// and shows which environment variables a sandbox would get.
//
// Run `procjail --help` for the commands and `procjail run --help` for the
// configuration flags and the exit codes.
package main

import (
	"os"

	// The library's package initialiser turns a re-executed copy of this
	// binary into a sandbox stage before main runs.
	_ "github.com/procjail/procjail"
)

func main() {
	os.Exit(newApp(os.Stdin, os.Stdout, os.Stderr).execute(os.Args[1:]))
}
