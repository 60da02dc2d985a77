package cgroup

import (
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Mount tables of the hosts procjail meets.
const (
	// A systemd host on cgroup v2 only.
	mountinfoV2 = `22 1 259:2 / / rw,relatime shared:1 - ext4 /dev/root rw
35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
`
	// This CI host: v1 controllers on a tmpfs, cgroup2 at .../unified,
	// cpu and cpuacct on separate hierarchies.
	mountinfoHybrid = `31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
`
	// An older distribution: v1 only, cpu and cpuacct co-mounted.
	mountinfoV1 = `25 18 0:22 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:8 - tmpfs tmpfs ro,mode=755
28 25 0:25 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:10 - cgroup cgroup rw,cpu,cpuacct
30 25 0:27 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:12 - cgroup cgroup rw,memory
`
	// A container: its own cgroup (a sub-tree) mounted read-only.
	mountinfoContainer = `600 500 0:30 /docker/abc /sys/fs/cgroup ro,nosuid,nodev,noexec,relatime - cgroup2 cgroup ro,nsdelegate
`
)

func TestParseMountinfo(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []mount
	}{
		{"v2", mountinfoV2, []mount{
			{root: "/", point: "/", opts: []string{"rw", "relatime"}, fstype: "ext4", super: []string{"rw"}},
			{root: "/", point: "/sys/fs/cgroup", opts: []string{"rw", "nosuid", "nodev", "noexec", "relatime"}, fstype: "cgroup2", super: []string{"rw", "nsdelegate", "memory_recursiveprot"}},
		}},
		{"container", mountinfoContainer, []mount{
			{root: "/docker/abc", point: "/sys/fs/cgroup", opts: []string{"ro", "nosuid", "nodev", "noexec", "relatime"}, fstype: "cgroup2", super: []string{"ro", "nsdelegate"}},
		}},
		{"escaped and optional fields", `1 2 0:1 /a\040b /mnt/x\040y rw shared:1 master:2 - cgroup cgroup rw,pids` + "\n", []mount{
			{root: "/a b", point: "/mnt/x y", opts: []string{"rw"}, fstype: "cgroup", super: []string{"rw", "pids"}},
		}},
		{"malformed lines skipped", "garbage\n1 2 3 4 5 6 no separator\n\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseMountinfo([]byte(tt.in))
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(mount{})); diff != "" {
				t.Errorf("parseMountinfo (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCgroupMounts reads the cgroup part of each layout: cgroup2 mounts,
// and v1 mounts with their controllers (named hierarchies have none).
func TestCgroupMounts(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"v2 only", mountinfoV2, []string{"cgroup2 /sys/fs/cgroup"}},
		{"hybrid", mountinfoHybrid, []string{
			"cgroup /sys/fs/cgroup/cpu cpu", "cgroup /sys/fs/cgroup/cpuacct cpuacct", "cgroup /sys/fs/cgroup/memory memory",
			"cgroup /sys/fs/cgroup/freezer freezer", "cgroup /sys/fs/cgroup/pids pids", "cgroup /sys/fs/cgroup/systemd",
			"cgroup2 /sys/fs/cgroup/unified",
		}},
		{"v1 only", mountinfoV1, []string{"cgroup /sys/fs/cgroup/cpu,cpuacct cpu cpuacct", "cgroup /sys/fs/cgroup/memory memory"}},
		{"container", mountinfoContainer, []string{"cgroup2 /sys/fs/cgroup"}},
	}
	for _, tt := range tests {
		var got []string
		for _, m := range parseMountinfo([]byte(tt.in)) {
			if m.fstype == "cgroup" || m.fstype == "cgroup2" {
				got = append(got, strings.Join(append([]string{m.fstype, m.point}, v1Controllers(m.super)...), " "))
			}
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestMountReadOnly(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want bool
	}{{mountinfoV2, false}, {mountinfoContainer, true}} {
		ms := parseMountinfo([]byte(tt.in))
		if got := ms[len(ms)-1].readOnly(); got != tt.want {
			t.Errorf("readOnly(%s) = %v, want %v", ms[len(ms)-1].point, got, tt.want)
		}
	}
}

func TestV1Controllers(t *testing.T) {
	tests := []struct {
		super []string
		want  []string
	}{
		{[]string{"rw", "cpu", "cpuacct"}, []string{"cpu", "cpuacct"}},
		{[]string{"rw", "name=systemd"}, nil},
		{[]string{"rw", "noprefix", "release_agent=/x", "cpuset", "clone_children"}, []string{"cpuset"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, v1Controllers(tt.super)); diff != "" {
			t.Errorf("v1Controllers(%v) (-want +got):\n%s", tt.super, diff)
		}
	}
}

func TestParseOwnV2(t *testing.T) {
	tests := []struct {
		name, in string
		want     string
		ok       bool
	}{
		{"v2 only", "0::/user.slice/user-1000.slice/session-2.scope\n", "/user.slice/user-1000.slice/session-2.scope", true},
		{"hybrid (this host)", "9:name=systemd:/\n4:memory:/process_api/d1ee\n1:cpu:/\n0::/\n", "/", true},
		{"v1 only", "4:memory:/user.slice\n3:cpu,cpuacct:/user.slice\n", "", false},
		{"outside the cgroup namespace", "0::/../../other\n", "/../../other", true},
	}
	for _, tt := range tests {
		got, ok := parseOwnV2([]byte(tt.in))
		if got != tt.want || ok != tt.ok {
			t.Errorf("%s: parseOwnV2 = %q, %v; want %q, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func TestUnderRoot(t *testing.T) {
	tests := []struct {
		p, root, want string
		ok            bool
	}{
		{"/a/b", "/", "/a/b", true},
		{"/docker/abc/x", "/docker/abc", "/x", true},
		{"/docker/abc", "/docker/abc", "/", true},
		{"/docker/abcd", "/docker/abc", "", false},
		{"/../x", "/", "", false},
		{"relative", "/", "", false},
	}
	for _, tt := range tests {
		got, ok := underRoot(tt.p, tt.root)
		if got != tt.want || ok != tt.ok {
			t.Errorf("underRoot(%q, %q) = %q, %v; want %q, %v", tt.p, tt.root, got, ok, tt.want, tt.ok)
		}
	}
}

func TestResolveBase(t *testing.T) {
	tests := []struct{ own, spec, want string }{
		{"/a/supervisor", "", "/a/supervisor"},
		{"/a/supervisor", "..", "/a"},
		{"/", "..", "/"},
		{"/a", "../../..", "/"},
		{"/a", "/x/y/", "/x/y"},
		{"/a", "sub", "/a/sub"},
	}
	for _, tt := range tests {
		if got := resolveBase(tt.own, tt.spec); got != tt.want {
			t.Errorf("resolveBase(%q, %q) = %q, want %q", tt.own, tt.spec, got, tt.want)
		}
	}
}

func TestCommonAncestor(t *testing.T) {
	tests := []struct{ a, b, want string }{
		{"/a/b/c", "/a/b/procjail", "/a/b"},
		{"/a/b", "/a/b/procjail", "/a/b"},
		{"/", "/procjail", "/"},
		{"/x", "/y/procjail", "/"},
		{"/ab", "/a/procjail", "/"},
	}
	for _, tt := range tests {
		if got := commonAncestor(tt.a, tt.b); got != tt.want {
			t.Errorf("commonAncestor(%q, %q) = %q, want %q", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestParseKeyed(t *testing.T) {
	tests := []struct {
		name, in string
		want     map[string]uint64
	}{
		{"cpu.stat", "usage_usec 172186\nuser_usec 172000\nsystem_usec 186\nnice_usec 0\n",
			map[string]uint64{"usage_usec": 172186, "user_usec": 172000, "system_usec": 186, "nice_usec": 0}},
		{"memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n",
			map[string]uint64{"oom_kill_disable": 0, "under_oom": 0, "oom_kill": 3}},
		{"pids.events", "max 7\n", map[string]uint64{"max": 7}},
		{"junk skipped", "a b c\nnot_a_number x\nok 1\n", map[string]uint64{"ok": 1}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, parseKeyed([]byte(tt.in))); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestParseValue(t *testing.T) {
	tests := []struct {
		in      string
		want    uint64
		wantErr bool
	}{{"max\n", math.MaxUint64, false}, {"268435456\n", 268435456, false}, {"", 0, true}, {"-1", 0, true}}
	for _, tt := range tests {
		got, err := parseValue(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("parseValue(%q) = %d, %v; want %d, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestParsePids(t *testing.T) {
	if diff := cmp.Diff([]int{12, 345}, parsePids([]byte("12\n345\n\n0\nx\n"))); diff != "" {
		t.Errorf("parsePids (-want +got):\n%s", diff)
	}
}
