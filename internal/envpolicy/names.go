package envpolicy

import (
	"strings"
	"unicode"
)

// upperASCII upper-cases ASCII letters only, leaving every other byte as it
// is, so that names with invalid UTF-8 are compared byte for byte.
func upperASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'a' <= c && c <= 'z' {
			return upperFrom(s, i)
		}
	}
	return s
}

// upperFrom upper-cases s from byte i on; s[:i] has no lower-case letter.
func upperFrom(s string, i int) string {
	b := []byte(s)
	for ; i < len(b); i++ {
		if 'a' <= b[i] && b[i] <= 'z' {
			b[i] -= 'a' - 'A'
		}
	}
	return string(b)
}

// segments splits an upper-cased name into its runs of ASCII letters and
// digits: "NPM_CONFIG__AUTHTOKEN" gives NPM, CONFIG, AUTHTOKEN.
func segments(upper string) []string {
	return strings.FieldsFunc(upper, func(r rune) bool {
		return !('A' <= r && r <= 'Z' || '0' <= r && r <= '9')
	})
}

// nameProblem says why name cannot be a configured variable name, or "" if it
// can.
func nameProblem(name string) string {
	switch {
	case name == "":
		return "the name is empty"
	case strings.IndexByte(name, '=') >= 0:
		return "the name contains '=' (only the part before it is shown)"
	case strings.IndexByte(name, 0) >= 0:
		return "the name contains a NUL byte"
	case strings.IndexFunc(name, unicode.IsSpace) >= 0:
		return "the name contains white space"
	}
	return ""
}

// splitEntry splits a "NAME=value" entry of the caller's environment. ok is
// false for an entry execve could not pass on: no '=', an empty name, or a
// NUL byte.
func splitEntry(kv string) (name, value string, ok bool) {
	name, value, found := strings.Cut(kv, "=")
	if !found || name == "" || strings.IndexByte(kv, 0) >= 0 {
		return "", "", false
	}
	return name, value, true
}
