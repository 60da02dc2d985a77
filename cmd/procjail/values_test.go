package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/procjail/procjail"
)

func TestParseMount(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		in   string
		want procjail.Mount
		ok   bool
	}{
		{"/data", procjail.Mount{Host: "/data"}, true},
		{"/data:/mnt/data", procjail.Mount{Host: "/data", Sandbox: "/mnt/data"}, true},
		{"data:/d", procjail.Mount{Host: filepath.Join(wd, "data"), Sandbox: "/d"}, true},
		{"/a/../b", procjail.Mount{Host: "/a/../b"}, true}, // left for Validate to reject
		{"", procjail.Mount{}, false},
		{":/d", procjail.Mount{}, false},
	} {
		got, err := parseMount(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("parseMount(%q) = %+v, %v; want %+v, ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestEnvSetValue(t *testing.T) {
	var m map[string]string
	v := envSetValue{&m}
	for _, s := range []string{"A=1", "B=x=y", "C="} {
		if err := v.Set(s); err != nil {
			t.Fatal(err)
		}
	}
	for _, bad := range []string{"NOEQUALS", "=v"} {
		if v.Set(bad) == nil {
			t.Errorf("Set(%q) accepted", bad)
		}
	}
	if diff := cmp.Diff(map[string]string{"A": "1", "B": "x=y", "C": ""}, m); diff != "" {
		t.Error(diff)
	}
	if got := v.String(); got != "[A,B,C]" {
		t.Errorf("String() = %q: must list names only", got)
	}
}

func TestRequireValue(t *testing.T) {
	var rs []procjail.Requirement
	v := requireValue{&rs}
	if err := v.Set("fs, net"); err != nil {
		t.Fatal(err)
	}
	if err := v.Set("pid"); err != nil {
		t.Fatal(err)
	}
	if v.Set("fs,bogus") == nil {
		t.Error("unknown requirement accepted")
	}
	want := []procjail.Requirement{procjail.RequireFilesystem, procjail.RequireNetwork, procjail.RequirePID, procjail.RequireFilesystem}
	if diff := cmp.Diff(want, rs); diff != "" {
		t.Error(diff)
	}
}
