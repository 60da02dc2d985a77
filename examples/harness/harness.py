"""procjail example harness for python3.

Protocol (see ../README.md): one JSON object per line on stdin, one JSON
reply per line on stdout, UTF-8, no embedded newlines. Every reply echoes
the request's "id" and carries either "result" or "error".

  {"id":1,"method":"ping"}                  -> {"id":1,"result":"pong"}
  {"id":2,"method":"echo","args":["x"]}     -> {"id":2,"result":{...the request...}}
  {"id":3,"method":"eval","args":["1+1"]}   -> {"id":3,"result":2}
  {"id":4,"method":"require","args":["json"]} -> {"id":4,"result":{"module":"json","type":"module","exports":[...]}}
  {"id":5,"method":"exit","args":[0]}       -> {"id":5,"result":"bye"}, then exit 0

"eval" evaluates one Python expression. "require" imports a module with the
working directory (the package under analysis) first on sys.path: importing
runs the module's code, which is why it runs inside procjail.
"""

import importlib
import json
import os
import sys


def write(obj):
    # json.dumps escapes control characters, so a reply is always one line.
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def reply(rid, key, value):
    try:
        write({"id": rid, key: value})
    except (TypeError, ValueError) as e:
        write({"id": rid, "error": "unserialisable %s: %s" % (key, e)})


def plain(value):
    """Returns value if JSON can carry it, else its repr."""
    try:
        json.dumps(value)
        return value
    except (TypeError, ValueError):
        return repr(value)


def describe(name, mod):
    exports = sorted(k for k in dir(mod) if not k.startswith("_"))
    return {"module": name, "type": type(mod).__name__, "exports": exports}


def do_require(args, req):
    name = str(args[0])
    return describe(name, importlib.import_module(name))


METHODS = {
    "ping": lambda args, req: "pong",
    "echo": lambda args, req: req,
    "eval": lambda args, req: plain(eval(str(args[0]), {})),
    "require": do_require,
}


def handle(line):
    """Answers one request; returns an exit code when asked to exit."""
    try:
        req = json.loads(line)
    except ValueError as e:
        reply(None, "error", "invalid JSON: %s" % e)
        return None
    if not isinstance(req, dict):
        reply(None, "error", "a request is a JSON object")
        return None
    rid = req.get("id")
    args = req.get("args") if isinstance(req.get("args"), list) else []
    method = req.get("method")
    if method == "exit":
        reply(rid, "result", "bye")
        try:
            return int(args[0]) if args else 0
        except (TypeError, ValueError):
            return 0
    fn = METHODS.get(method) if isinstance(method, str) else None
    if fn is None:
        reply(rid, "error", "unknown method %s" % json.dumps(method))
        return None
    try:
        reply(rid, "result", fn(args, req))
    except Exception as e:  # the payload's errors are observations
        reply(rid, "error", "%s: %s" % (type(e).__name__, e))
    return None


def main():
    sys.path.insert(0, os.getcwd())
    stdin = open(sys.stdin.fileno(), "r", encoding="utf-8", errors="replace", newline="\n")
    for line in stdin:
        code = handle(line.rstrip("\n"))
        if code is not None:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
