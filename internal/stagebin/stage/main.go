//go:build linux

// Command stage is procjail's sandbox stage as a program of its own, so
// that starting a sandbox does not start the caller's whole program (its
// size and its package initialisers). It is embedded in procjail (see
// internal/stagebin) and executed from a sealed memfd.
package main

import (
	"runtime"

	"github.com/procjail/procjail/internal/stage"
)

// The main goroutine stays on the main thread: the stage applies its
// per-thread restrictions there and forks the payload from it.
func init() { runtime.LockOSThread() }

func main() { stage.Main() }
