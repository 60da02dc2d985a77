// Package netfwd gives a sandbox in its own network namespace a way to reach
// the host's loopback services on listed ports, and nothing else. It is
// what procjail's AllowLocalhost means.
//
// # How it works
//
// The sandbox's network namespace has only "lo". Before the payload starts,
// the stage (inside that namespace) calls [Listen], which binds listening
// sockets on 127.0.0.1:PORT and [::1]:PORT for every allowed port, and
// hands them to the parent with [SendFDs] over its control socket. The
// parent, which lives in the host's network namespace, receives them with
// [RecvFDs] and runs a [Forwarder]: for each connection the payload makes
// to one of those sockets, it dials the host's loopback on the same port
// (127.0.0.1:PORT, or [::1]:PORT for an IPv6 listener, falling back to
// 127.0.0.1:PORT) and relays bytes both ways.
//
// The payload therefore reaches exactly the listed loopback ports of the
// host. It cannot reach any other port (nothing listens on it in its
// namespace), any other host address (its namespace has no route but
// loopback), nor any other machine: the forwarder only ever dials the
// host's loopback, on the listener's own port. The stage creates the
// sockets before the payload runs, without SO_REUSEADDR or SO_REUSEPORT,
// so the payload can neither steal nor share them, and it closes its own
// copies once they are sent.
//
// A host service on a listed port sees the payload's connections as coming
// from 127.0.0.1, like any local client: list only ports whose services
// may be used by hostile code.
//
// # The port list
//
// The list of ports must be given explicitly: an empty list is an error
// ([ValidatePorts] says "list the ports the harness needs"). "All ports"
// is not offered: it would mean 65535 (or 131070) listening sockets, and it
// would expose every loopback service of the host (databases, agents,
// debuggers) to hostile code, which is what AllowLocalhost must not mean.
// At most [MaxPorts] ports may be listed.
//
// # UDP
//
// With [ListenOptions.UDP], the stage also binds UDP sockets. The
// forwarder keeps one connected UDP socket towards the host per sandbox
// source address and port, which ends after an idle time; replies come
// back from the listened address, as the payload expects. A UDP session
// from [::1] goes to the host's [::1] (falling back to 127.0.0.1 only when
// the host has no ::1): UDP has no handshake to tell that nothing listens.
//
// # Order of setup
//
//  1. Stage, in the new network namespace: bring "lo" up, [Listen], then
//     [SendFDs] over the control socket as the first thing it sends, and
//     close its copies. All of this before the payload is started.
//  2. Parent: [RecvFDs] on the control socket before any buffered reader
//     touches it (a plain read would drop the files). [ErrNoFrame] means
//     the stage sent a failure message instead, left unread.
//  3. Parent: [NewForwarder] and Start; Close it once the sandbox has
//     ended (the held sockets keep the sandbox's namespace alive), then
//     report [Forwarder.Stats].
//
// # Limits
//
// The forwarder bounds what a hostile payload can cost the parent: at most
// [Options.MaxConns] relayed connections (or UDP sessions) at once per
// forwarder (more are closed at once and counted as Refused), two
// fixed-size buffers from a pool per connection, no busy loops, and
// everything it started ends on [Forwarder.Close].
package netfwd
