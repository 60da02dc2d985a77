// Package wrapver compares the versions external sandboxes report.
package wrapver

import (
	"strconv"
	"strings"
)

// VersionAtLeast compares dotted numeric versions ("0.10.0" > "0.8.0"). A
// component that is not a number compares as 0.
func VersionAtLeast(v, min string) bool {
	a, b := strings.Split(v, "."), strings.Split(min, ".")
	for i := 0; i < max(len(a), len(b)); i++ {
		x, y := component(a, i), component(b, i)
		if x != y {
			return x > y
		}
	}
	return true
}

func component(parts []string, i int) int {
	if i >= len(parts) {
		return 0
	}
	n, _ := strconv.Atoi(parts[i])
	return n
}
