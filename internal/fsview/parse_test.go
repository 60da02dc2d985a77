package fsview

import (
	"bytes"
	"encoding/binary"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// ldCache builds an ld.so.cache in the new format, optionally behind an
// empty old-format section, mapping each name to a path.
func ldCache(old bool, entries ...[2]string) []byte {
	var strs bytes.Buffer
	type ent struct{ key, value uint32 }
	var ents []ent
	strBase := ldCacheHeader + len(entries)*ldCacheEntry
	for _, e := range entries {
		k := uint32(strBase + strs.Len())
		strs.WriteString(e[0] + "\x00")
		v := uint32(strBase + strs.Len())
		strs.WriteString(e[1] + "\x00")
		ents = append(ents, ent{k, v})
	}
	var b bytes.Buffer
	if old {
		b.WriteString(ldCacheOldMagic + "\x00")
		_ = binary.Write(&b, binary.NativeEndian, uint32(0))
	}
	b.WriteString(ldCacheNewMagic)
	_ = binary.Write(&b, binary.NativeEndian, uint32(len(entries)))
	_ = binary.Write(&b, binary.NativeEndian, uint32(strs.Len()))
	b.Write(make([]byte, 20)) // flags, padding, extension offset, unused
	for _, e := range ents {
		_ = binary.Write(&b, binary.NativeEndian, int32(0x303))
		_ = binary.Write(&b, binary.NativeEndian, e.key)
		_ = binary.Write(&b, binary.NativeEndian, e.value)
		b.Write(make([]byte, 12)) // osversion, hwcap
	}
	b.Write(strs.Bytes())
	return b.Bytes()
}

func TestParseLdCache(t *testing.T) {
	entries := [][2]string{{"libc.so.6", "/lib/x86_64-linux-gnu/libc.so.6"}, {"libz.so.1", "/usr/lib/libz.so.1"},
		{"libc.so.6", "/lib32/libc.so.6"}}
	want := map[string][]string{"libc.so.6": {"/lib/x86_64-linux-gnu/libc.so.6", "/lib32/libc.so.6"}, "libz.so.1": {"/usr/lib/libz.so.1"}}
	for _, old := range []bool{false, true} {
		got, err := parseLdCache(ldCache(old, entries...))
		if err != nil {
			t.Fatalf("old=%v: %v", old, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("old=%v (-want +got):\n%s", old, diff)
		}
	}
	for _, bad := range [][]byte{nil, []byte("garbage"), ldCache(false, entries...)[:60], []byte(ldCacheOldMagic + "\x00\xff\xff\xff\x7f")} {
		if _, err := parseLdCache(bad); err == nil {
			t.Errorf("parseLdCache(%q) succeeded", bad)
		}
	}
}

// TestParseLdCacheHost reads this host's cache: it must know libc.
func TestParseLdCacheHost(t *testing.T) {
	data, err := os.ReadFile(ldCachePath)
	if err != nil {
		t.Logf("no %s here: %v", ldCachePath, err)
		return
	}
	got, err := parseLdCache(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(got["libc.so.6"]) == 0 {
		t.Errorf("libc.so.6 not in the host cache (%d names)", len(got))
	}
}

func FuzzParseLdCache(f *testing.F) {
	f.Add(ldCache(false, [2]string{"a", "/b"}))
	f.Add(ldCache(true, [2]string{"a", "/b"}))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = parseLdCache(data) // must not panic or hang
	})
}

func TestMountPoint(t *testing.T) {
	for _, tc := range []struct {
		line, want string
		ok         bool
	}{
		{"36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw", "/mnt/parent", true},
		{`40 27 0:33 / /a\040b\134c\011 rw - tmpfs tmpfs rw`, "/a b\\c\t", true},
		{`1 2 3 4 /x\04`, `/x\04`, true},
		{"short line", "", false},
	} {
		got, ok := mountPoint(tc.line)
		if got != tc.want || ok != tc.ok {
			t.Errorf("mountPoint(%q) = %q, %v; want %q, %v", tc.line, got, ok, tc.want, tc.ok)
		}
	}
}

func FuzzUnescapeOctal(f *testing.F) {
	f.Add(`/a\040b`)
	f.Fuzz(func(t *testing.T, s string) {
		if got := unescapeOctal(s); len(got) > len(s) {
			t.Fatalf("unescapeOctal(%q) grew to %q", s, got)
		}
	})
}
