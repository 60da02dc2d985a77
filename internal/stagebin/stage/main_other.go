//go:build !linux

package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "procjail stage: sandboxes are Linux-only")
	os.Exit(2)
}
