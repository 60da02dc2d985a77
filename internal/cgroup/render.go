package cgroup

import "strconv"

// fileWrite is one value written to one interface file of a group.
type fileWrite struct {
	file     string
	value    string
	optional bool // skipped when the file does not exist (no swap accounting)
}

// cpuPeriodUS is the CPU bandwidth period procjail uses: 100 ms, the
// kernel's default.
const cpuPeriodUS = 100000

// limitWrites renders the limits of one resource as file writes, in the
// order they must be made, for a cgroup v2 (v2) or v1 group.
func limitWrites(l Limits, r Resource, v2 bool) []fileWrite {
	switch r {
	case Memory:
		return memoryWrites(l.MemoryBytes, v2)
	case Pids:
		if l.Pids == 0 {
			return nil
		}
		return []fileWrite{{file: "pids.max", value: u64(l.Pids)}}
	case CPU:
		return cpuWrites(l, v2)
	}
	return nil
}

// memoryWrites limits resident memory and turns swap off for the group, so
// the limit cannot be dodged by swapping. v1 needs the memory limit before
// the memory+swap limit (which may not be below it).
func memoryWrites(n uint64, v2 bool) []fileWrite {
	if n == 0 {
		return nil
	}
	if v2 {
		return []fileWrite{
			{file: "memory.max", value: u64(n)},
			{file: "memory.swap.max", value: "0", optional: true},
		}
	}
	return []fileWrite{
		{file: "memory.limit_in_bytes", value: u64(n)},
		{file: "memory.memsw.limit_in_bytes", value: u64(n), optional: true},
		{file: "memory.swappiness", value: "0", optional: true},
	}
}

func cpuWrites(l Limits, v2 bool) []fileWrite {
	var out []fileWrite
	if l.CPUWeight > 0 && v2 {
		out = append(out, fileWrite{file: "cpu.weight", value: u64(l.CPUWeight)})
	} else if l.CPUWeight > 0 {
		out = append(out, fileWrite{file: "cpu.shares", value: u64(weightToShares(l.CPUWeight))})
	}
	if l.CPUQuotaMilli == 0 {
		return out
	}
	quota := u64(l.CPUQuotaMilli * cpuPeriodUS / 1000)
	if v2 {
		return append(out, fileWrite{file: "cpu.max", value: quota + " " + u64(cpuPeriodUS)})
	}
	return append(out,
		fileWrite{file: "cpu.cfs_period_us", value: u64(cpuPeriodUS)},
		fileWrite{file: "cpu.cfs_quota_us", value: quota})
}

// weightToShares maps a v2 weight (1..10000, default 100) to v1 shares
// (2..262144, default 1024) the way systemd does.
func weightToShares(w uint64) uint64 {
	s := w * 1024 / 100
	return min(max(s, 2), 262144)
}

func u64(v uint64) string { return strconv.FormatUint(v, 10) }
