package stage

import (
	"encoding/json"

	"github.com/procjail/procjail/internal/fsview"
)

// warmUp decodes a small spec before the real one arrives, so that the
// JSON decoder's per-type caches are built while the stage is idle (a
// pooled stage waits before its spec comes) rather than on the spawn's
// critical path.
func warmUp() {
	const sample = `{"kind":"unshare","path":"/bin/true","argv":["true"],"env":["A=B"],"dir":"/",
"rlimits":[{"resource":7,"cur":64,"max":64}],"uid":-1,"gid":-1,"seccomp":"AAAA","no_new_privs":true,
"hostname":"x","fs_plan":{"ops":[{"kind":"tmpfs","target":"/tmp","size":1,"mode":1023,"access":"read-write"}]},
"landlock":[{"path":"/","access":"list-dir"}]}`
	var s Spec
	if json.Unmarshal([]byte(sample), &s) != nil {
		return
	}
	fsview.UnmarshalPlan(s.FSPlan)
	var rules []fsview.Rule
	json.Unmarshal(s.Landlock, &rules)
	var m Msg
	json.Unmarshal([]byte(`{"type":"kill","steps":[{"name":"x","at":1}],"applied":["x"]}`), &m)
}
