package bwrap

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/procjail/procjail/internal/fsview"
)

// view adds the plan's steps in order, on an empty size-limited root, and
// then remounts the sealed tmpfs mounts and the root read-only, as
// fsview's Apply does.
func (b *builder) view(in Input) error {
	b.add("--size", strconv.FormatInt(in.Plan.RootBytes, 10), "--tmpfs", "/")
	for _, op := range in.Plan.Ops {
		if err := b.op(op); err != nil {
			return err
		}
	}
	for _, op := range in.Plan.Ops {
		if op.Kind == fsview.OpTmpfs && op.Seal {
			b.add("--remount-ro", op.Target)
		}
	}
	b.add("--remount-ro", "/")
	return nil
}

func (b *builder) op(op fsview.Op) error {
	if err := checkNoNUL("Plan", op.Source, op.Target, op.LinkTo); err != nil {
		return err
	}
	switch op.Kind {
	case fsview.OpBindRO, fsview.OpBindRW:
		b.bind(op)
	case fsview.OpDevice:
		b.add(tryIf(op.Optional, "--dev-bind"), op.Source, op.Target)
	case fsview.OpTmpfs:
		return b.tmpfs(op)
	case fsview.OpProc:
		b.add("--proc", op.Target)
	case fsview.OpProcRO:
		// bwrap covers /proc/sys, sysrq-trigger, irq and bus itself when
		// they are writable; see the package documentation.
	case fsview.OpSymlink:
		b.add("--symlink", op.LinkTo, op.Target)
	case fsview.OpDir:
		b.add("--perms", perms(op.Mode, 0o755), "--dir", op.Target)
	case fsview.OpFile:
		fd := b.fd(Payload{Name: op.Target, Data: []byte(op.Content)})
		b.add("--perms", perms(op.Mode, 0o644), "--file", fd, op.Target)
	default:
		return planErr(op, "unknown step kind")
	}
	return nil
}

// bind binds a host path. A required source is passed as an fd the caller
// opens without following symlinks; an optional one by path with -try.
func (b *builder) bind(op fsview.Op) {
	name := "--bind"
	if op.Kind == fsview.OpBindRO {
		name = "--ro-bind"
	}
	if op.Optional {
		b.add(name+"-try", op.Source, op.Target)
		return
	}
	b.add(name+"-fd", b.fd(Payload{Name: op.Target, Path: op.Source}), op.Target)
}

// tmpfs mounts a size-limited tmpfs. bwrap has no noexec tmpfs: that is
// acceptable only for a tmpfs sealed read-only, where nothing can be put
// to run.
func (b *builder) tmpfs(op fsview.Op) error {
	if op.NoExec && !op.Seal {
		return planErr(op, "bwrap cannot mount a tmpfs noexec, and this one stays writable")
	}
	b.add("--perms", perms(op.Mode, 0o755), "--size", strconv.FormatInt(op.Size, 10), "--tmpfs", op.Target)
	return nil
}

func tryIf(optional bool, name string) string {
	if optional {
		return name + "-try"
	}
	return name
}

// perms formats permission bits for --perms: four octal digits.
func perms(mode, dflt uint32) string {
	if mode == 0 {
		mode = dflt
	}
	s := strconv.FormatUint(uint64(mode&0o7777), 8)
	return strings.Repeat("0", 4-len(s)) + s
}

func planErr(op fsview.Op, msg string) error {
	return inputErr("Plan", fmt.Sprintf("%s: %s", op, msg), "")
}
