package stagebin

import (
	"fmt"
	"strconv"
	"sync"

	"golang.org/x/sys/unix"
)

// SelfExe is the fallback: the caller's own binary.
const SelfExe = "/proc/self/exe"

// Path returns the path to execute the stage from, and why the fallback
// is used when it is ("" when the embedded program is used).
func Path() (path, fallback string) {
	r := memfd()
	if r.err != nil {
		return SelfExe, r.err.Error()
	}
	return "/proc/self/fd/" + strconv.Itoa(r.fd), ""
}

type sealed struct {
	fd  int
	err error
}

var memfd = sync.OnceValue(func() sealed {
	if len(program) == 0 {
		return sealed{-1, fmt.Errorf("no stage program embedded for this architecture")}
	}
	fd, err := seal(program)
	return sealed{fd, err}
})

// seal writes the program to a memfd and seals it: no write, shrink, grow
// or further seal change. The fd is close-on-exec and kept open for the
// life of the process.
func seal(prog []byte) (int, error) {
	fd, err := unix.MemfdCreate("procjail-stage", unix.MFD_CLOEXEC|unix.MFD_ALLOW_SEALING|unix.MFD_EXEC)
	if err == unix.EINVAL { // kernels before 6.3 do not know MFD_EXEC
		fd, err = unix.MemfdCreate("procjail-stage", unix.MFD_CLOEXEC|unix.MFD_ALLOW_SEALING)
	}
	if err != nil {
		return -1, fmt.Errorf("memfd_create: %w", err)
	}
	for off := 0; off < len(prog); {
		n, err := unix.Write(fd, prog[off:])
		if err != nil {
			unix.Close(fd)
			return -1, fmt.Errorf("write stage program: %w", err)
		}
		off += n
	}
	seals := unix.F_SEAL_SEAL | unix.F_SEAL_SHRINK | unix.F_SEAL_GROW | unix.F_SEAL_WRITE
	if _, err := unix.FcntlInt(uintptr(fd), unix.F_ADD_SEALS, seals); err != nil {
		unix.Close(fd)
		return -1, fmt.Errorf("seal stage program: %w", err)
	}
	return fd, nil
}
