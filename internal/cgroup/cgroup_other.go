//go:build !linux

package cgroup

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"
)

var errNotLinux = fmt.Errorf("cgroup: cgroups exist only on Linux, not %s: %w: %w", runtime.GOOS, ErrNoCgroup, errors.ErrUnsupported)

// Detect fails: cgroups exist only on Linux.
func Detect() (*Host, error) { return nil, errNotLinux }

// DetectWith fails: cgroups exist only on Linux.
func DetectWith(Options) (*Host, error) { return nil, errNotLinux }

// New fails: cgroups exist only on Linux.
func (h *Host) New(string, Limits) (*Group, error) { return nil, errNotLinux }

// ReclaimStale fails: cgroups exist only on Linux.
func (h *Host) ReclaimStale() (int, error) { return 0, errNotLinux }

// CloneFD reports no descriptor.
func (g *Group) CloneFD() (int, bool) { return -1, false }

// AddProc fails: cgroups exist only on Linux.
func (g *Group) AddProc(int) error { return errNotLinux }

// Kill fails: cgroups exist only on Linux.
func (g *Group) Kill() error { return errNotLinux }

// Stats fails: cgroups exist only on Linux.
func (g *Group) Stats() (Stats, error) { return Stats{}, errNotLinux }

// CPUUsage fails: cgroups exist only on Linux.
func (g *Group) CPUUsage() (time.Duration, error) { return 0, errNotLinux }

// WaitCPU fails: cgroups exist only on Linux.
func (g *Group) WaitCPU(context.Context, time.Duration, int) error { return errNotLinux }

// Remove fails: cgroups exist only on Linux.
func (g *Group) Remove() error { return errNotLinux }

// SetLimits needs Linux.
func (g *Group) SetLimits(Limits) error { return errNotLinux }
