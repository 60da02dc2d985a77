// Package sealfd makes sealed memfds: in-memory files that nothing can
// change once written (no write, shrink, grow or seal change), to hand
// data or a program to a process that must not be able to alter it. It is
// Linux-only; elsewhere it is empty.
package sealfd
