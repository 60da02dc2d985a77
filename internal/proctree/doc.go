// Package proctree finds and kills process trees by reading /proc: the
// descendants of a subreaper, the members of a session, the processes of a
// uid. It is how procjail kills a whole tree without a pid namespace or a
// cgroup. It is Linux-only; elsewhere it is empty.
package proctree
