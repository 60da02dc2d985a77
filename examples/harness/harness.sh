#!/bin/sh
# procjail example harness for POSIX sh: a subset of the protocol (see
# ../README.md), with no process started per request.
#
#   {"id":1,"method":"ping"}               -> {"id":1,"result":"pong"}
#   {"id":2,"method":"echo","args":["x"]}  -> {"id":2,"result":{...the request...}}
#   anything else                          -> {"id":...,"error":"..."}
#
# Limits of a JSON reader written in sh: "id" must be a number or a string
# without escapes, and "method" a string without escapes. echo returns the
# request line unchanged, so it is valid JSON only if the request was.

# field NAME LINE sets $value to the raw value of "NAME" in LINE: a string
# with its quotes, or a bare token (number, true, false, null); "" when
# absent. It sets variables rather than printing, so that no command
# substitution (a fork in most shells) is needed.
field() {
	value=
	case $2 in *"\"$1\""*) ;; *) return 0 ;; esac
	rest=${2#*\"$1\"}
	rest=${rest#"${rest%%[! 	]*}"}
	case $rest in :*) rest=${rest#:} ;; *) return 0 ;; esac
	rest=${rest#"${rest%%[! 	]*}"}
	case $rest in
	\"*)
		value=${rest#\"}
		value="\"${value%%\"*}\""
		;;
	*)
		value=${rest%%[ 	,\}]*}
		;;
	esac
}

# request_id LINE sets $rid to the request's id as JSON, or null.
request_id() {
	field id "$1"
	case $value in
	'' | *[!0-9a-zA-Z_.:\"-]*) rid=null ;;
	*) rid=$value ;;
	esac
}

while IFS= read -r line || [ -n "$line" ]; do
	request_id "$line"
	field method "$line"
	case $value in
	'"ping"') printf '{"id":%s,"result":"pong"}\n' "$rid" ;;
	'"echo"') printf '{"id":%s,"result":%s}\n' "$rid" "$line" ;;
	'') printf '{"id":%s,"error":"no method"}\n' "$rid" ;;
	*) printf '{"id":%s,"error":"unknown method (the sh harness knows ping and echo)"}\n' "$rid" ;;
	esac
done
