# Hostile payload for procjail's attack tests. Each attack prints one line:
#   <name> BLOCKED|SUCCEEDED <detail>
# argv[1] is a JSON object with what the host prepared (paths, ports, pids).
import ctypes, errno, json, os, socket, sys

T = json.loads(sys.argv[1])
libc = ctypes.CDLL(None, use_errno=True)


def report(name, ok, detail=""):
    print(name, "SUCCEEDED" if ok else "BLOCKED", str(detail).replace("\n", " ")[:200], flush=True)


def attempt(name):
    def wrap(f):
        try:
            ok, detail = f()
        except SystemExit:
            return f
        except Exception as e:  # any failure to perform the attack is a block
            ok, detail = False, repr(e)
        report(name, ok, detail)
        return f
    return wrap


@attempt("read-host-secret-file")
def _():
    return True, open(T["secret_file"]).read()


@attempt("read-etc-shadow")
def _():
    return True, open("/etc/shadow").read()[:20]


@attempt("read-outside-workdir-via-symlink")
def _():
    return True, open(os.path.join(T["work_dir"], "evil-link")).read()


@attempt("hardlink-out-of-view")
def _():
    p = os.path.join("/tmp", "link-%d" % os.getpid())
    os.link(T["secret_file"], p)
    return True, open(p).read()


@attempt("write-outside-workdir")
def _():
    p = os.path.join(T["writable_host_dir"], "pwned")
    open(p, "w").write("pwned")
    return True, p


@attempt("write-workdir-readonly")
def _():
    p = os.path.join(T["work_dir"], "pwned")
    open(p, "w").write("pwned")
    return True, p


@attempt("read-caller-environ")
def _():
    # Reading the caller's environment at all is the leak: it holds the
    # secrets procjail stripped from ours.
    data = open("/proc/%d/environ" % T["caller_pid"], "rb").read()
    return len(data) > 0, "%d bytes" % len(data)


@attempt("see-host-process")
def _():
    os.kill(T["caller_pid"], 0)
    return True, "pid %d visible" % T["caller_pid"]


@attempt("signal-host-process")
def _():
    os.kill(T["victim_pid"], 15)
    return True, "SIGTERM sent to %d" % T["victim_pid"]


@attempt("connect-host-loopback-tcp")
def _():
    s = socket.create_connection(("127.0.0.1", T["tcp_port"]), timeout=2)
    return True, s.recv(16)


@attempt("connect-host-unix-socket")
def _():
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(2)
    s.connect(T["unix_socket"])
    return True, s.recv(16)


@attempt("connect-host-abstract-socket")
def _():
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(2)
    s.connect("\0" + T["abstract_socket"])
    return True, s.recv(16)


@attempt("connect-internet")
def _():
    socket.create_connection(("1.1.1.1", 53), timeout=2)
    return True, "connected"


def syscall(nr, *args):
    r = libc.syscall(ctypes.c_long(nr), *[ctypes.c_long(a) for a in args])
    return r, ctypes.get_errno()


@attempt("ptrace-parent")
def _():
    r, e = syscall(101, 16, os.getppid(), 0, 0)  # PTRACE_ATTACH
    return r == 0, errno.errorcode.get(e, e)


@attempt("mount-tmpfs")
def _():
    r = libc.mount(b"none", b"/tmp", b"tmpfs", 0, None)
    return r == 0, errno.errorcode.get(ctypes.get_errno(), "")


@attempt("remount-usr-rw")
def _():
    r = libc.mount(None, b"/usr", None, 32 | 4096 | 1 << 5, None)  # MS_REMOUNT|MS_BIND
    r = libc.mount(None, b"/usr", None, 32, None)
    return r == 0, errno.errorcode.get(ctypes.get_errno(), "")


@attempt("nested-user-namespace")
def _():
    r = libc.unshare(0x10000000)  # CLONE_NEWUSER
    return r == 0, errno.errorcode.get(ctypes.get_errno(), "")


@attempt("tiocsti")
def _():
    import fcntl, termios
    fd = os.open("/dev/tty", os.O_RDWR) if os.path.exists("/dev/tty") else 0
    fcntl.ioctl(fd, termios.TIOCSTI, b"x")
    return True, "injected"


@attempt("io-uring-setup")
def _():
    params = ctypes.create_string_buffer(120)
    r, e = syscall(425, 8, ctypes.addressof(params))
    return r >= 0, errno.errorcode.get(e, e)


@attempt("keyring-read")
def _():
    r, e = syscall(250, 0, -3, 0, 0)  # keyctl(KEYCTL_GET_KEYRING_ID, SESSION)
    return r >= 0, errno.errorcode.get(e, e)


@attempt("write-proc-sys")
def _():
    open("/proc/sys/kernel/hostname", "w").write("pwned")
    return True, "wrote"


@attempt("write-sys")
def _():
    open("/sys/kernel/uevent_helper", "w").write("/tmp/x")
    return True, "wrote"


@attempt("mknod-device")
def _():
    os.mknod("/tmp/sda", 0o600 | 0o060000, os.makedev(8, 0))
    return True, "created"


@attempt("inherited-fd")
def _():
    fds = sorted(int(f) for f in os.listdir("/proc/self/fd"))
    extra = [f for f in fds if f > 2 and os.readlink("/proc/self/fd/%d" % f).endswith("inherited-secret")]
    return bool(extra), fds


@attempt("setuid-binary")
def _():
    if not T.get("suid_binary"):
        return False, "no setuid binary prepared"
    out = os.popen(T["suid_binary"] + " -u").read().strip()
    return out == "0", "euid " + out


@attempt("kill-supervisor")
def _():
    os.kill(1, 9)
    os.kill(1, 11)
    # Whether pid 1 (and the supervisor) survived is for the host to see.
    print("kill-supervisor HOSTCHECK signals sent to pid 1", flush=True)
    raise SystemExit


@attempt("read-supervisor-proc")
def _():
    data = open("/proc/1/environ", "rb").read()
    return len(data) > 0, "%d bytes" % len(data)


@attempt("daemon-outlives-payload")
def _():
    pid = os.fork()
    if pid == 0:
        try:
            try:
                os.setsid()
            except OSError:
                pass
            os.closerange(0, 3)
            import time
            time.sleep(1000)
        finally:
            os._exit(0)
    # Whether it outlives the sandbox is for the host to see.
    print("daemon-outlives-payload HOSTCHECK daemon %d forked" % pid, flush=True)
    raise SystemExit


print("END", flush=True)
