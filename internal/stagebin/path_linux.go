package stagebin

import (
	"fmt"
	"os"
	"strconv"
	"sync"

	"github.com/procjail/procjail/internal/sealfd"
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
	f   *os.File // kept open for the life of the process
	fd  int
	err error
}

var memfd = sync.OnceValue(func() sealed {
	if len(program) == 0 {
		return sealed{fd: -1, err: fmt.Errorf("no stage program embedded for this architecture")}
	}
	f, err := sealfd.New("procjail-stage", program, true)
	if err != nil {
		return sealed{fd: -1, err: err}
	}
	return sealed{f: f, fd: int(f.Fd())}
})
