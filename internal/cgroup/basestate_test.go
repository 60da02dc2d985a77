package cgroup

import (
	"errors"
	"strings"
	"testing"
)

func TestBaseControllers(t *testing.T) {
	tests := []struct {
		name string
		b    baseState
		ok   []string // usable controllers
		why  string   // a fragment of the reason for the unusable ones
	}{
		{"enabled already", baseState{name: "/a", avail: v2Wanted, on: v2Wanted, procs: 3, canEnable: false}, v2Wanted, ""},
		{"empty delegated base", baseState{name: "/a", avail: v2Wanted, canEnable: true}, v2Wanted, ""},
		{"real root with processes", baseState{name: "/", avail: v2Wanted, procs: 40, root: true, canEnable: true}, v2Wanted, ""},
		{"hybrid host: controllers on v1", baseState{name: "/", avail: []string{"hugetlb"}, root: true, canEnable: true}, nil, "is bound to a cgroup v1 hierarchy"},
		{"scope holding the caller", baseState{name: "/u.slice/x.scope", avail: v2Wanted, procs: 1, canEnable: true}, nil, "holds 1 processes"},
		{"namespace root holding processes", baseState{name: "/", avail: v2Wanted, procs: 2, root: false, canEnable: true}, nil, "never moves its caller"},
		{"not writable", baseState{name: "/a", avail: v2Wanted, canEnable: false}, nil, "not writable"},
		{"partly enabled", baseState{name: "/a", avail: v2Wanted, on: []string{"pids"}, procs: 1}, []string{"pids"}, "holds 1 processes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, why := tt.b.controllers()
			for _, c := range v2Wanted {
				want := has(tt.ok, c)
				if ok[c] != want {
					t.Errorf("%s usable = %v, want %v (why: %q)", c, ok[c], want, why[c])
				}
				if !want && !strings.Contains(why[c], tt.why) {
					t.Errorf("%s: reason %q lacks %q", c, why[c], tt.why)
				}
				if want && why[c] != "" {
					t.Errorf("%s usable but has a reason %q", c, why[c])
				}
			}
		})
	}
}

// hosts built by hand, as detect would, for the pure planning logic.
func planHost(v2 bool, v2ctrls []string, v1ctrls ...string) *Host {
	h := &Host{v1: map[string]*v1Hier{}}
	if v2 {
		h.v2 = v2Host{base: "/cg", ctrlOK: map[string]bool{}, ctrlWhy: map[string]string{}}
		for _, c := range v2Wanted {
			h.v2.ctrlOK[c] = has(v2ctrls, c)
			if !h.v2.ctrlOK[c] {
				h.v2.ctrlWhy[c] = "v2 lacks " + c
			}
		}
	} else {
		h.v2 = v2Host{err: errors.New("no v2 here")}
	}
	for _, c := range v1ctrls {
		h.v1[c] = &v1Hier{mount: "/v1/" + c, ctrls: []string{c}}
	}
	return h
}

func TestPlan(t *testing.T) {
	all := Limits{MemoryBytes: 1 << 30, Pids: 10, CPUWeight: 10}
	tests := []struct {
		name    string
		h       *Host
		l       Limits
		mode    Mode
		v1      []string // mounts of the v1 hierarchies used
		v2ctrl  []string
		have    Resource
		wantErr error
	}{
		{"v2 full", planHost(true, v2Wanted), all, V2, nil, []string{"memory", "pids", "cpu"}, Memory | Pids | CPU | CPUTime, nil},
		{"v2, cpu only when asked", planHost(true, v2Wanted), Limits{Pids: 1}, V2, nil, []string{"memory", "pids"}, Memory | Pids | CPU | CPUTime, nil},
		{"hybrid (this host)", planHost(true, nil, "memory", "pids", "cpu", "cpuacct", "freezer"), all, Hybrid,
			[]string{"/v1/memory", "/v1/pids", "/v1/cpu"}, nil, Memory | Pids | CPU | CPUTime, nil},
		{"v1 only uses cpuacct and freezer", planHost(false, nil, "memory", "pids", "cpuacct", "freezer"), Limits{Pids: 1}, V1,
			[]string{"/v1/memory", "/v1/pids", "/v1/cpuacct", "/v1/freezer"}, nil, Memory | Pids | CPUTime, nil},
		{"v2 core only: no limits", planHost(true, nil), Limits{}, V2, nil, nil, CPUTime, nil},
		{"v2 core only, limit asked", planHost(true, nil), Limits{MemoryBytes: 1}, V2, nil, nil, CPUTime, ErrNoController},
		{"nothing", planHost(false, nil), Limits{}, None, nil, nil, 0, ErrNoCgroup},
		{"nothing, limits asked", planHost(false, nil), all, None, nil, nil, 0, ErrNoCgroup},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := tt.h.plan(tt.l)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("plan error = %v, want %v", err, tt.wantErr)
			}
			if got := tt.h.Mode(); got != tt.mode {
				t.Errorf("Mode = %v, want %v", got, tt.mode)
			}
			if got := tt.h.Have(); got != tt.have {
				t.Errorf("Have = %v, want %v", got, tt.have)
			}
			if err != nil {
				return
			}
			var mounts []string
			for _, hr := range p.v1 {
				mounts = append(mounts, hr.mount)
			}
			if strings.Join(mounts, " ") != strings.Join(tt.v1, " ") || strings.Join(p.v2ctrl, " ") != strings.Join(tt.v2ctrl, " ") {
				t.Errorf("plan v1 = %v, v2 controllers = %v; want %v, %v", mounts, p.v2ctrl, tt.v1, tt.v2ctrl)
			}
		})
	}
}

func TestWhyNamesBothVersions(t *testing.T) {
	h := planHost(true, nil)
	h.v1["memory"] = &v1Hier{mount: "/m", ctrls: []string{"memory"}, err: errors.New("v1 needs root")}
	why := h.Why(Memory)
	for _, want := range []string{"cgroup v2: v2 lacks memory", "cgroup v1: v1 needs root"} {
		if !strings.Contains(why, want) {
			t.Errorf("Why(Memory) = %q, lacks %q", why, want)
		}
	}
	if h.Why(CPUTime) != "" {
		t.Errorf("Why(CPUTime) = %q, want empty (every v2 group has cpu.stat)", h.Why(CPUTime))
	}
}

func TestDescribe(t *testing.T) {
	v2, v1 := planHost(true, nil, "memory", "pids").Describe()
	if !v2.Available || !strings.Contains(v2.Detail, "/cg/procjail") || !strings.Contains(v2.Reason, "no memory: v2 lacks memory") || v2.Hint != "" {
		t.Errorf("hybrid v2 = %+v", v2)
	}
	if !v1.Available || !strings.Contains(v1.Detail, "memory, pids") {
		t.Errorf("hybrid v1 = %+v", v1)
	}
	v2, v1 = planHost(false, nil).Describe()
	if v2.Available || v2.Reason != "no v2 here" || v2.Hint != HintDelegate {
		t.Errorf("none v2 = %+v", v2)
	}
	if v1.Available || !strings.Contains(v1.Reason, "no cgroup v1 hierarchy") {
		t.Errorf("none v1 = %+v", v1)
	}
	v2, _ = planHost(true, nil).Describe()
	if v2.Hint != HintDelegate {
		t.Errorf("v2 core only: no hint in %+v", v2)
	}
}
