package fsview

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// EtcShared lists what of the host's /etc the view shows, read-only, when
// present (patterns are filepath.Match globs, relative to /etc). Symlinks
// among them are recreated as symlinks (they mostly point into /usr).
// Everything else in /etc is absent; see EtcNever.
var EtcShared = []string{
	"ld.so.cache", "ld.so.conf", "ld.so.conf.d", // the dynamic loader's search path
	"alternatives",                                                    // Debian resolves cc, awk, java... through it
	"ssl/certs", "ssl/openssl.cnf", "ssl/cert.pem", "ca-certificates", // TLS trust store
	"ca-certificates.conf", "pki/tls/certs", "pki/tls/cert.pem", "pki/ca-trust/extracted",
	"localtime", "timezone", // time zone
	"os-release", "debian_version", "lsb-release", "alpine-release", "redhat-release", // platform detection
	"mime.types", "protocols", "services", "gai.conf", "inputrc", "ethertypes", // lookup tables
	"python3*", // Debian's sitecustomize and python config
}

// EtcNever can never be shown, whatever EtcShared says: password hashes,
// privilege configuration, host keys, private TLS keys, the host's
// identity, and files that hold registry credentials.
var EtcNever = []string{
	"shadow", "shadow-", "gshadow", "gshadow-", "sudoers", "sudoers.d", "ssh", "ssl/private",
	"machine-id", "npmrc", "pip.conf", "gitconfig", "ld.so.preload", "security", "pam.d",
}

// addEtc: a minimal /etc of the view's own, so no host secret, user list
// or configuration leaks in; only what toolchains resolve through is shown.
func (b *builder) addEtc() error {
	b.add(Op{Kind: OpDir, Target: "/etc", Mode: 0o755, Access: AccessRead})
	for _, f := range synthesizedEtc(b.req) {
		b.add(f)
	}
	names, err := etcNames()
	if err != nil {
		return err
	}
	for _, rel := range names {
		if err := b.addEtcEntry(rel); err != nil {
			return err
		}
	}
	return nil
}

// etcNames expands EtcShared's globs against the host's /etc.
func etcNames() ([]string, error) {
	var out []string
	for _, pat := range EtcShared {
		matches, err := filepath.Glob(filepath.Join("/etc", pat))
		if err != nil {
			return nil, stepErr("glob", pat, err)
		}
		for _, m := range matches {
			rel := strings.TrimPrefix(m, "/etc/")
			if !etcDenied(rel) {
				out = append(out, rel)
			}
		}
	}
	return out, nil
}

// etcDenied reports whether rel (relative to /etc) is or lies in an
// EtcNever entry.
func etcDenied(rel string) bool {
	for _, never := range EtcNever {
		if under("/"+rel, "/"+never) {
			return true
		}
	}
	return false
}

func (b *builder) addEtcEntry(rel string) error {
	p := "/etc/" + rel
	fi, err := os.Lstat(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return stepErr("lstat", p, err)
	case fi.Mode()&fs.ModeSymlink != 0:
		link, err := os.Readlink(p)
		if err != nil {
			return stepErr("readlink", p, err)
		}
		b.add(Op{Kind: OpSymlink, Target: p, LinkTo: link})
	case fi.IsDir() || fi.Mode().IsRegular():
		b.add(Op{Kind: OpBindRO, Source: p, Target: p, Access: AccessRead, Optional: true})
	}
	return nil
}

// synthesizedEtc are the /etc files written into the view: users and
// groups (root, the payload as "sandbox" with home /tmp, nobody), the
// hostname, localhost-only hosts, and files-only name service switch.
func synthesizedEtc(req Request) []Op {
	file := func(name, content string) Op {
		return Op{Kind: OpFile, Target: "/etc/" + name, Content: content, Mode: 0o644}
	}
	host := req.hostname()
	return []Op{
		file("passwd", passwd(req.UID, req.GID)),
		file("group", group(req.GID)),
		file("hostname", host+"\n"),
		file("hosts", "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t"+host+"\n"),
		file("nsswitch.conf", nsswitch),
	}
}

const nsswitch = "passwd: files\ngroup: files\nshadow: files\nhosts: files\nnetworks: files\n" +
	"protocols: files\nservices: files\nethers: files\nrpc: files\nnetgroup: files\n"

func passwd(uid, gid int) string {
	out := "root:x:0:0:root:/root:/usr/sbin/nologin\n"
	if uid != 0 {
		out += fmt.Sprintf("sandbox:x:%d:%d:sandbox:/tmp:/bin/sh\n", uid, gid)
	}
	if uid != 65534 {
		out += "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
	}
	return out
}

func group(gid int) string {
	out := "root:x:0:\n"
	if gid != 0 {
		out += fmt.Sprintf("sandbox:x:%d:\n", gid)
	}
	if gid != 65534 {
		out += "nogroup:x:65534:\n"
	}
	return out
}
