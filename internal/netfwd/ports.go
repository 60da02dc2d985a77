package netfwd

import (
	"errors"
	"fmt"
)

// MaxPorts is the most ports one sandbox may list. With UDP, each port
// costs four sockets (TCP and UDP, IPv4 and IPv6); they must all fit in one
// SCM_RIGHTS message ([MaxFDs]).
const MaxPorts = 60

// ErrNoPorts is returned by [ValidatePorts] for an empty list.
var ErrNoPorts = errors.New("netfwd: allowing localhost needs an explicit list of ports: list the ports the harness needs")

// ValidatePorts checks a port allow-list: it must be non-empty, hold at
// most MaxPorts ports, no port 0 and no duplicate.
func ValidatePorts(ports []uint16) error {
	if len(ports) == 0 {
		return ErrNoPorts
	}
	if len(ports) > MaxPorts {
		return fmt.Errorf("netfwd: %d ports listed, at most %d are supported: list only the ports the harness needs", len(ports), MaxPorts)
	}
	seen := make(map[uint16]bool, len(ports))
	for _, p := range ports {
		if p == 0 {
			return errors.New("netfwd: port 0 cannot be forwarded: list the real port numbers of the host services")
		}
		if seen[p] {
			return fmt.Errorf("netfwd: port %d is listed twice", p)
		}
		seen[p] = true
	}
	return nil
}
