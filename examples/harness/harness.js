// procjail example harness for node.
//
// Protocol (see ../README.md): one JSON object per line on stdin, one JSON
// reply per line on stdout, UTF-8, no embedded newlines. Every reply echoes
// the request's "id" and carries either "result" or "error".
//
//   {"id":1,"method":"ping"}                  -> {"id":1,"result":"pong"}
//   {"id":2,"method":"echo","args":["x"]}     -> {"id":2,"result":{...the request...}}
//   {"id":3,"method":"eval","args":["1+1"]}   -> {"id":3,"result":2}
//   {"id":4,"method":"require","args":["."]}  -> {"id":4,"result":{"module":".","type":"object","exports":[...]}}
//   {"id":5,"method":"exit","args":[0]}       -> {"id":5,"result":"bye"}, then exit 0
//
// "require" resolves names from the working directory (the package under
// analysis): "." is the package itself, "./lib/x" a file in it, and a bare
// name a module in its node_modules. Loading a module runs its code: that
// is the point, and why it runs inside procjail.
"use strict";

const path = require("path");
const readline = require("readline");
const { createRequire } = require("module");

const pkgRequire = createRequire(path.join(process.cwd(), "__procjail_harness__.js"));

// reply writes one line; JSON.stringify never emits a raw newline.
function reply(id, key, value) {
  let line;
  try {
    line = JSON.stringify({ id: id === undefined ? null : id, [key]: value });
  } catch (e) {
    line = JSON.stringify({ id: id === undefined ? null : id, error: "unserialisable " + key + ": " + e.message });
  }
  process.stdout.write(line + "\n");
}

// plain turns a value into something JSON can carry.
function plain(v) {
  if (v === undefined) return null;
  if (typeof v === "bigint" || typeof v === "symbol") return v.toString();
  if (typeof v === "function") return "[function " + (v.name || "anonymous") + "]";
  try {
    JSON.stringify(v);
    return v;
  } catch (_) {
    return String(v);
  }
}

function describe(name, mod) {
  const type = typeof mod;
  const exports = mod !== null && (type === "object" || type === "function") ? Object.keys(mod).sort() : [];
  return { module: name, type: type, exports: exports };
}

const methods = {
  ping: () => "pong",
  echo: (args, req) => req,
  eval: (args) => plain((0, eval)(String(args[0]))),
  require: (args) => describe(String(args[0]), pkgRequire(String(args[0]))),
};

let exiting = false;

function handle(line) {
  if (exiting) return;
  let req;
  try {
    req = JSON.parse(line);
  } catch (e) {
    return reply(null, "error", "invalid JSON: " + e.message);
  }
  if (req === null || typeof req !== "object" || Array.isArray(req)) {
    return reply(null, "error", "a request is a JSON object");
  }
  const args = Array.isArray(req.args) ? req.args : [];
  if (req.method === "exit") {
    exiting = true;
    reply(req.id, "result", "bye");
    return exitAfterFlush(Number(args[0]) || 0);
  }
  const m = Object.prototype.hasOwnProperty.call(methods, req.method) ? methods[req.method] : null;
  if (m === null) return reply(req.id, "error", "unknown method " + JSON.stringify(req.method));
  try {
    reply(req.id, "result", m(args, req));
  } catch (e) {
    reply(req.id, "error", e && e.message ? e.message : String(e));
  }
}

// exitAfterFlush exits once every reply written so far has reached stdout.
function exitAfterFlush(code) {
  process.stdout.write("", () => process.exit(code));
}

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
rl.on("line", handle);
rl.on("close", () => exitAfterFlush(0));
