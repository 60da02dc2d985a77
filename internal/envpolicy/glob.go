package envpolicy

import "strings"

// globProblem says why pattern cannot be a Strip pattern, or "" if it can.
// Only '*' and '?' are wildcards; '[' and '\' are refused rather than taken
// literally, so that a shell character class never silently matches
// nothing.
func globProblem(pattern string) string {
	if p := nameProblem(pattern); p != "" {
		return strings.Replace(p, "name", "pattern", 1)
	}
	if strings.ContainsAny(pattern, `[\`) {
		return `'[' and '\' are not supported (only '*' and '?' are wildcards)`
	}
	return ""
}

// matchGlob reports whether name matches pattern, ignoring ASCII case. '*'
// matches any run of bytes (including '/'), '?' exactly one byte. It runs in
// O(len(pattern)·len(name)) at worst and never fails.
func matchGlob(pattern, name string) bool {
	p, n := upperASCII(pattern), upperASCII(name)
	pi, ni := 0, 0
	star, mark := -1, 0 // last '*' seen in p, and where in n it started
	for ni < len(n) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == n[ni]):
			pi, ni = pi+1, ni+1
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, ni
			pi++
		case star >= 0:
			mark++
			pi, ni = star+1, mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// matchStrip returns the first Strip pattern matching name, or "".
func matchStrip(strip []string, name string) string {
	for _, pat := range strip {
		if matchGlob(pat, name) {
			return pat
		}
	}
	return ""
}
