package main

import (
	"fmt"
	"strconv"
	"strings"
)

// portsValue is a repeatable, comma-separated list of TCP/UDP ports.
type portsValue struct{ p *[]uint16 }

func (v portsValue) String() string {
	if v.p == nil {
		return ""
	}
	s := make([]string, len(*v.p))
	for i, p := range *v.p {
		s[i] = strconv.Itoa(int(p))
	}
	return strings.Join(s, ",")
}

func (v portsValue) Set(s string) error {
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.ParseUint(strings.TrimSpace(f), 10, 16)
		if err != nil || n == 0 {
			return fmt.Errorf("%q is not a port (1-65535)", f)
		}
		*v.p = append(*v.p, uint16(n))
	}
	return nil
}

func (v portsValue) Type() string { return "ports" }
