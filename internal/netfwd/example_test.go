package netfwd_test

import (
	"errors"
	"fmt"
	"os"

	"github.com/procjail/procjail/internal/netfwd"
)

// The stage, inside the sandbox's network namespace with "lo" up, before
// the payload starts: listen on the allowed ports and hand the sockets to
// the parent over the control socket, before any other message.
func ExampleListen() {
	ctl := os.NewFile(3, "control")
	files, err := netfwd.Listen([]uint16{5432, 8080})
	if err != nil {
		fmt.Println("setup failed:", err) // report it as a setup failure
		return
	}
	eps, err := netfwd.DescribeAll(files)
	if err == nil {
		err = netfwd.SendFDs(ctl, files, []byte(netfwd.Ports(eps)))
	}
	for _, f := range files {
		f.Close() // the payload must never hold them
	}
	if err != nil {
		fmt.Println("setup failed:", err)
	}
}

// The parent, after sending the spec and before reading the stage's first
// message: receive the sockets and relay them until the sandbox ends.
func ExampleNewForwarder() {
	var ctl *os.File // the parent's end of the control socket
	files, meta, err := netfwd.RecvFDs(ctl, netfwd.MaxFDs)
	if errors.Is(err, netfwd.ErrNoFrame) {
		return // the stage failed before listening: read its failure message
	}
	if err != nil {
		return
	}
	fwd, err := netfwd.NewForwarder(files, netfwd.Options{})
	if err != nil {
		return
	}
	fwd.Start()
	fmt.Println("forwarding", string(meta))
	// ... when the sandbox has ended:
	fwd.Close()
	total := netfwd.Total(fwd.Stats())
	fmt.Println(total.Connections, total.Refused, total.BytesIn, total.BytesOut)
}
