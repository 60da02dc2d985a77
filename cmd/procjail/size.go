package main

import (
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"
)

// sizeUnits are the suffixes parseSize accepts, all binary (K = KiB).
var sizeUnits = []struct {
	suffixes []string
	shift    uint
}{
	{[]string{"t", "tb", "tib"}, 40},
	{[]string{"g", "gb", "gib"}, 30},
	{[]string{"m", "mb", "mib"}, 20},
	{[]string{"k", "kb", "kib"}, 10},
	{[]string{"b", ""}, 0},
}

// parseSize parses a byte count: a plain number of bytes or a number with
// a binary unit suffix: 512K, 256M, 1G, 1GiB, 2t (case-insensitive).
func parseSize(s string) (uint64, error) {
	num, shift, err := splitSize(strings.ToLower(strings.TrimSpace(s)))
	if err != nil {
		return 0, fmt.Errorf("size %q: %w (use bytes or a number with K, M, G or T, e.g. 256M)", s, err)
	}
	n, err := strconv.ParseUint(num, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("size %q: not a whole number of units (use e.g. 256M or 268435456)", s)
	}
	if hi, _ := bits.Mul64(n, 1<<shift); hi != 0 {
		return 0, fmt.Errorf("size %q: too large", s)
	}
	return n << shift, nil
}

func splitSize(s string) (num string, shift uint, err error) {
	i := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' })
	if i < 0 {
		i = len(s)
	}
	num, unit := s[:i], s[i:]
	if num == "" {
		return "", 0, fmt.Errorf("no number")
	}
	for _, u := range sizeUnits {
		for _, suf := range u.suffixes {
			if unit == suf {
				return num, u.shift, nil
			}
		}
	}
	return "", 0, fmt.Errorf("unknown unit %q", unit)
}

// formatSize writes n with the largest unit that divides it exactly.
func formatSize(n uint64) string {
	for _, u := range sizeUnits[:4] {
		if n != 0 && n%(1<<u.shift) == 0 {
			return strconv.FormatUint(n>>u.shift, 10) + strings.ToUpper(u.suffixes[0])
		}
	}
	return strconv.FormatUint(n, 10)
}

// sizeValue is a pflag.Value for a byte count in a Config field.
type sizeValue struct{ p *uint64 }

func (v sizeValue) Set(s string) error {
	n, err := parseSize(s)
	if err == nil {
		*v.p = n
	}
	return err
}

func (v sizeValue) String() string {
	if v.p == nil {
		return "0"
	}
	return formatSize(*v.p)
}

func (v sizeValue) Type() string { return "size" }

// intSizeValue is a sizeValue for an int field.
type intSizeValue struct{ p *int }

func (v intSizeValue) Set(s string) error {
	n, err := parseSize(s)
	if err == nil && n > math.MaxInt32 {
		err = fmt.Errorf("size %q: too large", s)
	}
	if err == nil {
		*v.p = int(n)
	}
	return err
}

func (v intSizeValue) String() string {
	if v.p == nil || *v.p < 0 {
		return "0"
	}
	return formatSize(uint64(*v.p))
}

func (v intSizeValue) Type() string { return "size" }
