package cgroup

import "time"

// MinCPUCheck is the shortest wait NextCPUCheck returns while budget
// remains. It bounds how often a watcher reads CPU time; a tree on N CPUs
// can overshoot its budget by at most N times this.
const MinCPUCheck = 10 * time.Millisecond

// NextCPUCheck returns how long to wait before reading a tree's CPU time
// again, given what it has used, its budget, and how many CPUs it can run
// on at once: the soonest moment the budget could run out. It returns 0
// when the budget is spent.
func NextCPUCheck(used, limit time.Duration, cpus int) time.Duration {
	left := limit - used
	if left <= 0 {
		return 0
	}
	d := left / time.Duration(max(cpus, 1))
	return max(d, MinCPUCheck)
}
