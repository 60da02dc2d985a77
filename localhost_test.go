package procjail_test

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/procjail/procjail"
	"github.com/procjail/procjail/internal/testutil"
)

// clients fetch http://127.0.0.1:<port>/ and print the body, or
// "refused: <error>".
var localhostClients = map[string]struct{ runtime, file, code string }{
	"python3": {"/usr/bin/python3", "client.py", `import sys, urllib.request
try:
    print(urllib.request.urlopen("http://127.0.0.1:%s/" % sys.argv[1], timeout=5).read().decode())
except Exception as e:
    print("refused:", e)
`},
	"sh": {"/bin/bash", "client.sh", `if exec 3<>/dev/tcp/127.0.0.1/"$1"; then
  printf 'GET / HTTP/1.0\r\n\r\n' >&3
  tail -n 1 <&3; echo
else
  echo "refused: connect failed"
fi
`},
	"node": {"/usr/bin/node", "client.js", `require("http").get("http://127.0.0.1:" + process.argv[2] + "/", (r) => {
  let b = ""; r.on("data", (d) => (b += d)); r.on("end", () => console.log(b));
}).on("error", (e) => console.log("refused: " + e.message));
`},
}

func TestAllowLocalhostReachesOnlyListedPorts(t *testing.T) {
	forEachStrategy(t, func(t *testing.T, s procjail.Strategy) {
		if s == procjail.Firejail || s == procjail.Rlimits {
			return // no forwarding: firejail refuses allow_localhost, rlimits shares the host's network
		}
		testLocalhost(t, s)
	})
}

func testLocalhost(t *testing.T, s procjail.Strategy) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "host-service-reached") }))
	defer srv.Close()
	port := uint16(srv.Listener.Addr().(*net.TCPAddr).Port)
	for name, c := range localhostClients {
		t.Run(name, func(t *testing.T) {
			if _, err := os.Stat(c.runtime); err != nil {
				testutil.Skip(t, testutil.MissingFeature, name, "client runtime not installed")
			}
			dir := workDir(t)
			must(t, os.WriteFile(filepath.Join(dir, c.file), []byte(c.code), 0o644))
			cases := []struct {
				name  string
				allow bool
				ports []uint16
				want  string
			}{
				{"listed", true, []uint16{port}, "host-service-reached"},
				{"not listed", true, []uint16{port + 1}, "refused"},
				{"allow_localhost off", false, nil, "refused"},
			}
			for _, tc := range cases {
				cfg := procjail.DefaultConfig()
				cfg.Runtime, cfg.Strategy, cfg.CaptureStderr = c.runtime, s, true
				cfg.RuntimeArgs = []string{filepath.Join(dir, c.file), fmt.Sprint(port)}
				cfg.AllowLocalhost, cfg.AllowLocalhostPorts = tc.allow, tc.ports
				p := spawn(t, "", dir, cfg)
				got, err := p.Recv()
				u := wait(t, p)
				if err != nil || !strings.HasPrefix(got, tc.want) {
					t.Errorf("%s: got %q (%v), want %q; stderr %s", tc.name, got, err, tc.want, p.Stderr())
				}
				if tc.name == "listed" && (u.Localhost == nil || u.Localhost.Connections == 0 || u.Localhost.BytesIn == 0) {
					t.Errorf("%s: usage does not count the forwarded traffic: %+v", tc.name, u.Localhost)
				}
			}
		})
	}
}
