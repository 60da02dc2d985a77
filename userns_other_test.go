//go:build !linux

package procjail_test

import "syscall"

func newUserNSAttr() *syscall.SysProcAttr { return nil }
