package bwrap

import (
	"fmt"
	"testing"

	"github.com/procjail/procjail/internal/fsview"
)

func TestScratch(t *testing.T) {
	p, err := fsview.Build(fsview.Request{Runtime: "/bin/sh", WorkDir: "/work/shared", UID: 1000, GID: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range p.Ops {
		fmt.Printf("%+v\n", op)
	}
	fmt.Println(p.RootBytes)
}
