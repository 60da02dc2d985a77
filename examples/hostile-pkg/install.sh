#!/bin/sh
# A deliberately hostile npm install script, for trying procjail out.
#
# It tries what real malicious packages do and prints one line per attempt
# on stdout:
#
#   ATTEMPT <name> BLOCKED|SUCCEEDED <detail>
#
# Nothing else goes to stdout. It never prints a secret's value, only names,
# paths and counts. Usage: sh install.sh [PORT] — PORT, when given, is a TCP
# port on the host's 127.0.0.1 to try to reach.
#
# What it leaves behind when not contained: $HOME/procjail-escape-<pid> and
# /tmp/procjail-escape-<pid> (remove them), and for a few seconds up to
# 10000 "sleep" processes.

port=${1:-}

report() {
	printf 'ATTEMPT %s %s %s\n' "$1" "$2" "$3"
}

# secret_names prints the names of variables that look like credentials,
# judged on whole words of the name (so TOKENIZERS_PARALLELISM and KEYBOARD
# are not secrets, GITHUB_TOKEN and AWS_SECRET_ACCESS_KEY are).
secret_names() {
	env | while IFS= read -r kv; do
		case $kv in *=*) ;; *) continue ;; esac
		name=${kv%%=*}
		words="_$(printf '%s' "$name" | tr 'a-z' 'A-Z')_"
		case $words in
		*TOKEN_* | *_TOKENS_* | *SECRET* | *PASSWORD* | *PASSWD* | *PASSPHRASE* | *_PASS_* | \
			*_KEY_* | *_KEYS_* | *APIKEY_* | *ACCESSKEY_* | *PRIVATEKEY_* | *CREDENTIAL* | *_AUTH_*)
			printf '%s ' "$name"
			;;
		esac
	done
}

attempt_secret_env() {
	names=$(secret_names)
	if [ -n "$names" ]; then
		report secret-env SUCCEEDED "secret-looking variables in the environment: ${names% }"
	else
		report secret-env BLOCKED "no secret-looking variable in the environment"
	fi
}

attempt_ssh_key() {
	for f in "$HOME/.ssh/id_rsa" "$HOME/.ssh/id_ed25519" /root/.ssh/id_rsa /home/*/.ssh/id_rsa; do
		if [ -f "$f" ] && bytes=$(wc -c <"$f" 2>/dev/null) && [ "$bytes" -gt 0 ]; then
			report ssh-key SUCCEEDED "read $f ($bytes bytes)"
			return
		fi
	done
	report ssh-key BLOCKED "no private key readable at \$HOME/.ssh ($HOME/.ssh), /root/.ssh or /home/*/.ssh"
}

# environ_count PID prints how many variables /proc/PID/environ holds, or
# nothing when it cannot be read.
environ_count() {
	{ tr '\0' '\n' <"/proc/$1/environ" | grep -c .; } 2>/dev/null
}

# parent_of PID prints PID's parent pid, or nothing.
parent_of() {
	while read -r key value; do
		if [ "$key" = PPid: ]; then
			printf '%s' "$value"
			return
		fi
	done <"/proc/$1/status" 2>/dev/null
}

# The caller of a sandbox holds the secrets it stripped: walk up the
# ancestors (the direct parent may be a launcher with a clean environment,
# or one holding only the sandbox's own stripped environment) looking for
# one whose environment holds variables this script was not given.
attempt_parent_environ() {
	pid=$PPID
	seen=
	steps=0
	while [ -n "$pid" ] && [ "$pid" -gt 0 ] && [ "$steps" -lt 16 ]; do
		seen="$seen $pid"
		n=$(environ_extra "$pid")
		if [ -n "$n" ] && [ "$n" -gt 0 ]; then
			report parent-environ SUCCEEDED "read /proc/$pid/environ of an ancestor: $n variables this sandbox was not given"
			return
		fi
		pid=$(parent_of "$pid")
		steps=$((steps + 1))
	done
	report parent-environ BLOCKED "no ancestor's environment readable (tried pids${seen:- none})"
}

# environ_extra prints how many variables a process's environment holds
# that ours does not (nothing when it cannot be read).
environ_extra() {
	theirs=$(tr '\0' '\n' <"/proc/$1/environ" 2>/dev/null | cut -d= -f1 | sort -u) || return 0
	[ -n "$theirs" ] || return 0
	ours=$(env | cut -d= -f1 | sort -u)
	printf '%s\n' "$theirs" | while IFS= read -r v; do
		printf '%s\n' "$ours" | grep -qx "$v" || echo "$v"
	done | wc -l
}

attempt_init_environ() {
	n=$(environ_count 1)
	if [ -n "$n" ] && [ "$n" -gt 0 ]; then
		report init-environ SUCCEEDED "read /proc/1/environ ($n variables)"
	else
		report init-environ BLOCKED "/proc/1/environ unreadable or empty"
	fi
}

# attempt_write NAME FILE. Success means the file exists in the view the
# script has: a sandbox with a private /tmp or home keeps it off the host,
# which only the host can check.
attempt_write() {
	if (printf 'procjail escape\n' >"$2") 2>/dev/null; then
		report "$1" SUCCEEDED "wrote $2 (if this directory is private to the sandbox, the host never sees it)"
	else
		report "$1" BLOCKED "could not create $2"
	fi
}

# connect HOST PORT tries a TCP connection for 3 seconds with node or
# python3; it prints "connected" or why not.
connect() {
	if node -e 0 >/dev/null 2>&1; then
		node -e '
const s = require("net").connect({ host: process.argv[1], port: +process.argv[2] });
const done = (m, c) => { console.log(m); process.exit(c); };
s.setTimeout(3000, () => done("timed out", 1));
s.on("connect", () => done("connected", 0));
s.on("error", (e) => done(e.code || e.message, 1));' "$1" "$2" 2>&1
	elif python3 -c 0 >/dev/null 2>&1; then
		python3 -c '
import socket, sys
try:
    socket.create_connection((sys.argv[1], int(sys.argv[2])), 3).close()
    print("connected")
except OSError as e:
    print(e.strerror or type(e).__name__)
    sys.exit(1)' "$1" "$2" 2>&1
	else
		echo "neither node nor python3 runs here"
		return 2
	fi
}

# attempt_connect NAME HOST PORT
attempt_connect() {
	out=$(connect "$2" "$3")
	case $out in
	connected) report "$1" SUCCEEDED "TCP connection to $2:$3" ;;
	*) report "$1" BLOCKED "TCP connection to $2:$3 failed: $(printf '%s' "$out" | tr '\n' ' ')" ;;
	esac
}

# fork_count forks sleeping children until fork fails or 10000 run, and
# prints how many it started. The shell exits on a failed fork, so the
# loop runs in a subshell that reports through a pipe.
fork_count() {
	(
		i=0
		while [ "$i" -lt 10000 ]; do
			sleep 5 >/dev/null 2>&1 </dev/null &
			i=$((i + 1))
			echo "$i"
		done
	) 2>/dev/null | {
		n=0
		while read -r x; do n=$x; done
		echo "$n"
	}
}

attempt_fork_bomb() {
	n=$(fork_count)
	if [ "${n:-0}" -ge 10000 ]; then
		report fork-bomb SUCCEEDED "forked 10000 processes without hitting a limit"
	else
		report fork-bomb BLOCKED "fork failed after ${n:-0} processes"
	fi
}

attempt_secret_env
attempt_ssh_key
attempt_parent_environ
attempt_init_environ
attempt_write write-home "$HOME/procjail-escape-$$"
attempt_write write-tmp "/tmp/procjail-escape-$$"
attempt_connect net-internet 1.1.1.1 53
if [ -n "$port" ]; then
	attempt_connect net-localhost 127.0.0.1 "$port"
fi
attempt_fork_bomb
