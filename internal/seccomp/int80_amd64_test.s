//go:build linux

#include "textflag.h"

// func int80Getpid() int32
//
// getpid through the i386 entry point (int $0x80, i386 syscall 20), which a
// 64-bit process can reach when the kernel has IA32 emulation.
TEXT ·int80Getpid(SB), NOSPLIT, $0-4
	MOVL	$20, AX
	INT	$0x80
	MOVL	AX, ret+0(FP)
	RET
