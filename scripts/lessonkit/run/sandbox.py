"""Confine a snippet: it writes only in its own run directory, reaches no other machine (nor this
one's loopback) by any socket, leaves no process behind and uses bounded memory.

A snippet runs with the rights of whoever builds the site, and CI runs every contributor's
snippets; an author's mistake must not cost data, and a build must depend on the repository
alone. So, in the process that is about to run a snippet (a child forked by the zygote):

- **Filesystem** (Landlock, ABI >= 1): writes are allowed only beneath the run's working
  directory and its ``TMPDIR`` (also matplotlib's ``MPLCONFIGDIR``), plus ``/dev/null`` and
  ``/dev/shm`` (POSIX semaphores: ``multiprocessing`` locks and queues, joblib). Reading and
  executing are not restricted: a snippet reads the project and the Python environment.
- **Network**: no socket reaches another machine or this one's loopback, whatever its
  protocol (TCP, UDP, raw, ...). Where a network namespace can be made (root), the child gets
  a fresh one, in which no interface is up; elsewhere a seccomp filter refuses ``socket()``
  for every family but local ones (``AF_UNIX``, ``AF_NETLINK``). Landlock's TCP rules (ABI >= 4)
  refuse TCP bind and connect in addition. Only where neither a namespace nor seccomp is to be
  had does Landlock alone stop TCP, and the build says that UDP is not confined.
- **Scopes** (Landlock, ABI >= 6): no signal to, and no abstract UNIX socket of, a process
  outside the snippet (the build, the zygote, other snippets).
- **Memory**: ``RLIMIT_AS`` caps the address space (default 4 GiB, ``memory`` in snippets.toml).
- **Processes**: the zygote is a child subreaper (``PR_SET_CHILD_SUBREAPER``), so whatever a
  snippet starts, double forks and new sessions included, is re-parented to it when its parent
  dies; after each snippet it ends every such leftover (:func:`end_leftovers`).

Landlock rules bind the calling thread and its future children and cannot be lifted; they
are applied in the single-threaded forked child, before the snippet's code runs.

Findings are :class:`Event` objects: the child writes what an uncaught exception meant (a
blocked write, a blocked connection, the memory cap) as JSON lines to a pipe the zygote reads
after it, and the zygote adds the processes it had to end. (A pipe, not a file: on this
machine's disk every file a run creates costs about a millisecond more to delete.)

``LESSONKIT_SANDBOX=required|auto|off`` (default ``auto``) is read only by :func:`decide`.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Collection, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from ..options import SANDBOX_MODES

MODES = SANDBOX_MODES
SHARED_MEMORY = "/dev/shm"  # where sem_open() creates (and at once unlinks) semaphores
MODE_VARIABLE = "LESSONKIT_SANDBOX"

WRITE_HINT = (
    "snippets may write only in their working directory; read inputs from the lesson folder "
    "and declare them with `depends`"
)
NETWORK_HINT = (
    "snippets run without network access, so that a build depends on the repository alone; "
    "put the data the snippet needs in the lesson folder and declare it with `depends`"
)

# --- Landlock through ctypes (linux/landlock.h) --------------------------------------------

# Syscall numbers from the unified table (every architecture but alpha).
_SYS_CREATE_RULESET, _SYS_ADD_RULE, _SYS_RESTRICT_SELF = 444, 445, 446
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH, _RULE_NET_PORT = 1, 2
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_CHILD_SUBREAPER = 36
_PR_GET_SECCOMP, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 21, 22, 2
_CLONE_NEWNET = 0x40000000

_FS_WRITE_FILE = 1 << 1
# Every right that changes the filesystem, with the ABI that introduced it. Reading,
# listing and executing stay unhandled, hence allowed everywhere.
_FS_CHANGES = {
    _FS_WRITE_FILE: 1,
    1 << 4: 1,  # REMOVE_DIR
    1 << 5: 1,  # REMOVE_FILE
    1 << 6: 1,  # MAKE_CHAR
    1 << 7: 1,  # MAKE_DIR
    1 << 8: 1,  # MAKE_REG
    1 << 9: 1,  # MAKE_SOCK
    1 << 10: 1,  # MAKE_FIFO
    1 << 11: 1,  # MAKE_BLOCK
    1 << 12: 1,  # MAKE_SYM
    1 << 13: 2,  # REFER (rename and link across directories)
    1 << 14: 3,  # TRUNCATE
}
_FS_TRUNCATE = 1 << 14
_NET_BIND_TCP, _NET_CONNECT_TCP = 1 << 0, 1 << 1
_SCOPE_ABSTRACT_UNIX_SOCKET, _SCOPE_SIGNAL = 1 << 0, 1 << 1


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),  # ABI 4
        ("scoped", ctypes.c_uint64),  # ABI 6
    ]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1  # __attribute__((packed)) in the kernel header
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


class SandboxError(Exception):
    """Confinement was required but is not available, or could not be applied."""


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> int:
    if result < 0:
        code = ctypes.get_errno()
        raise SandboxError(f"{what} failed: {os.strerror(code)}")
    return result


def landlock_abi() -> int:
    """The Landlock ABI version this kernel offers; 0 when there is none (or not Linux)."""
    if not sys.platform.startswith("linux"):
        return 0
    libc = _libc()
    libc.syscall.restype = ctypes.c_long
    version = libc.syscall(_SYS_CREATE_RULESET, None, ctypes.c_size_t(0), _CREATE_RULESET_VERSION)
    return max(int(version), 0)


def _restrict(writable: Collection[str], abi: int, network: bool) -> None:
    """Apply the Landlock rules to this thread and its future children, irrevocably."""
    libc = _libc()
    libc.syscall.restype = ctypes.c_long
    changes = 0
    for right, since in _FS_CHANGES.items():
        if abi >= since:
            changes |= right
    attr = _RulesetAttr(
        handled_access_fs=changes,
        handled_access_net=_NET_BIND_TCP | _NET_CONNECT_TCP if network else 0,
        scoped=_SCOPE_ABSTRACT_UNIX_SOCKET | _SCOPE_SIGNAL if abi >= 6 else 0,
    )
    size = ctypes.sizeof(attr) if abi >= 6 else 16 if abi >= 4 else 8  # older kernels know less
    ruleset = _check(
        libc.syscall(_SYS_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), 0),
        "landlock_create_ruleset",
    )
    try:
        rules = [(path, changes) for path in writable]
        rules.append((os.devnull, changes & (_FS_WRITE_FILE | _FS_TRUNCATE)))  # a file: file rights only
        for path, allowed in rules:
            fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            try:
                rule = _PathBeneathAttr(allowed_access=allowed, parent_fd=fd)
                _check(
                    libc.syscall(_SYS_ADD_RULE, ruleset, _RULE_PATH_BENEATH, ctypes.byref(rule), 0),
                    f"landlock_add_rule({path})",
                )
            finally:
                os.close(fd)
        _check(libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(PR_SET_NO_NEW_PRIVS)")
        _check(libc.syscall(_SYS_RESTRICT_SELF, ruleset, 0), "landlock_restrict_self")
    finally:
        os.close(ruleset)


def _unshare_network() -> None:
    _check(_libc().unshare(_CLONE_NEWNET), "unshare(CLONE_NEWNET)")


def _can_unshare_network() -> bool:
    """Whether a child of this process can get a network namespace of its own (root, and a
    kernel and container that allow it): tried once, in a forked child."""
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        return False
    unshare = _libc().unshare  # looked up before the fork: the child takes no loader lock
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child only reports
        os._exit(0 if unshare(_CLONE_NEWNET) == 0 else 1)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


# --- seccomp: socket() for local families only ---------------------------------------------

# (audit architecture, socket, io_uring_setup) per machine; linux/audit.h, the syscall tables.
_SECCOMP_ARCH = {"x86_64": (0xC000003E, 41, 425), "aarch64": (0xC00000B7, 198, 425)}
_LOCAL_FAMILIES = (1, 16)  # AF_UNIX, AF_NETLINK: neither leaves this machine
_BPF_LD_ABS, _BPF_JEQ, _BPF_JGE, _BPF_RET = 0x20, 0x15, 0x35, 0x06
_RET_ALLOW, _RET_ERRNO = 0x7FFF0000, 0x00050000
_X32_SYSCALLS = 0x40000000  # x86_64's x32 ABI numbers its system calls from here


class _SockFilter(ctypes.Structure):
    _fields_ = [
        ("code", ctypes.c_uint16),
        ("jt", ctypes.c_uint8),
        ("jf", ctypes.c_uint8),
        ("k", ctypes.c_uint32),
    ]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_SockFilter))]


def _seccomp_program(machine: str) -> list[tuple[int, int, int, int]]:
    """Classic BPF over ``struct seccomp_data`` (nr at 0, arch at 4, args[0] at 16): socket()
    of a family that can reach another machine fails with EACCES, as a Landlock refusal does;
    io_uring (which can open sockets itself) is not there; everything else is allowed."""
    arch, socket_nr, io_uring_setup = _SECCOMP_ARCH[machine]
    refuse, missing = _RET_ERRNO | errno.EACCES, _RET_ERRNO | errno.ENOSYS
    local_unix, local_netlink = _LOCAL_FAMILIES
    return [
        (_BPF_LD_ABS, 0, 0, 4),  # 0: arch
        (_BPF_JEQ, 1, 0, arch),  # 1: this machine's -> 3
        (_BPF_RET, 0, 0, refuse),  # 2: another ABI (i386 on x86_64): refused
        (_BPF_LD_ABS, 0, 0, 0),  # 3: system call number
        (_BPF_JGE, 0, 1, _X32_SYSCALLS),  # 4: x32 -> 5, else 6
        (_BPF_RET, 0, 0, refuse),  # 5
        (_BPF_JEQ, 0, 1, io_uring_setup),  # 6: -> 7, else 8
        (_BPF_RET, 0, 0, missing),  # 7
        (_BPF_JEQ, 1, 0, socket_nr),  # 8: socket() -> 10, else 9
        (_BPF_RET, 0, 0, _RET_ALLOW),  # 9
        (_BPF_LD_ABS, 0, 0, 16),  # 10: the family (low half of args[0])
        (_BPF_JEQ, 2, 0, local_unix),  # 11: -> 14
        (_BPF_JEQ, 1, 0, local_netlink),  # 12: -> 14
        (_BPF_RET, 0, 0, refuse),  # 13
        (_BPF_RET, 0, 0, _RET_ALLOW),  # 14
    ]


def _seccomp_available() -> bool:
    import platform

    machine = platform.machine()
    return (
        sys.platform.startswith("linux")
        and machine in _SECCOMP_ARCH
        and _libc().prctl(_PR_GET_SECCOMP, 0, 0, 0, 0) >= 0
    )


def _refuse_network_sockets() -> None:
    """Install the seccomp filter on this thread and its future children, irrevocably."""
    import platform

    program = _seccomp_program(platform.machine())
    filters = (_SockFilter * len(program))(*(_SockFilter(*insn) for insn in program))
    fprog = _SockFprog(len(program), filters)
    libc = _libc()
    _check(libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(PR_SET_NO_NEW_PRIVS)")
    _check(libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0), "seccomp filter")


def network_mechanism() -> str:
    """How this machine keeps a snippet off the network: ``namespace``, ``seccomp`` or ``""``."""
    if _can_unshare_network():
        return "namespace"
    return "seccomp" if _seccomp_available() else ""


# --- what the build decides, once per build ------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """How snippets are confined on this machine, decided from LESSONKIT_SANDBOX and the kernel."""

    landlock_abi: int  # 0: no filesystem confinement
    network: str  # "namespace", "seccomp", "landlock" (TCP only) or "" (none)
    notice: str  # the build's one line saying how snippets run here

    @property
    def complete(self) -> bool:
        return bool(self.landlock_abi) and self.network in ("namespace", "seccomp")


NETWORK_MEANS = {
    "namespace": "a network namespace of their own (no interface up)",
    "seccomp": "a seccomp filter on socket() (local sockets only)",
}


def decide(
    mode: str = "auto",
    environ: Mapping[str, str] | None = None,
    abi: int | None = None,
    mechanism: str | None = None,
) -> Decision:
    """How snippets run here, from the plugin's ``sandbox`` option (``mode``) or LESSONKIT_SANDBOX,
    which overrides it, read only here: ``required`` fails when any confinement is missing,
    ``auto`` (default) confines what it can and says what it cannot, ``off`` confines nothing
    (the memory cap and the ending of leftover processes still apply). ``abi`` and ``mechanism``
    (see :func:`network_mechanism`) are found out when not given."""
    environ = os.environ if environ is None else environ
    mode = environ.get(MODE_VARIABLE, mode).strip().lower() or "auto"
    if mode not in MODES:
        raise SandboxError(f"{MODE_VARIABLE} must be one of {', '.join(MODES)}, not {mode!r}")
    if mode == "off":
        return Decision(0, "", "lessonkit: snippets run unconfined (sandbox: off)")
    abi = landlock_abi() if abi is None else abi
    mechanism = network_mechanism() if mechanism is None else mechanism
    network = mechanism or ("landlock" if abi >= 4 else "")
    missing = []
    if abi == 0:
        missing.append("they may write anywhere (this system has no Landlock)")
    if network == "landlock":
        missing.append(
            "they may send UDP and open other sockets (neither a network namespace nor seccomp here)"
        )
    elif not network:
        missing.append(
            "they may open network connections (no network namespace, seccomp or Landlock rules here)"
        )
    if missing and mode == "required":
        raise SandboxError(
            f"{MODE_VARIABLE}=required, but snippets cannot be confined here: {'; '.join(missing)}"
        )
    if missing:
        return Decision(abi, network, f"lessonkit: snippets run unconfined: {'; '.join(missing)}")
    tcp = ", and Landlock's TCP rules" if abi >= 4 else ""
    return Decision(
        abi,
        network,
        f"lessonkit: snippets run confined: writes by Landlock (ABI {abi}), network by "
        f"{NETWORK_MEANS[network]}{tcp}",
    )


# --- in the child, before the snippet's code runs ------------------------------------------


@dataclass(frozen=True)
class Confinement:
    """What the child applies to itself; crosses the zygote's pipe as JSON."""

    workdir: str
    tmpdir: str  # also MPLCONFIGDIR
    memory: int  # bytes of address space
    landlock_abi: int = 0  # 0: no filesystem rules
    network: str = ""  # "namespace", "seccomp", "landlock" (TCP rules alone) or ""

    @property
    def writable(self) -> tuple[str, ...]:
        shared_memory = (SHARED_MEMORY,) if os.path.isdir(SHARED_MEMORY) else ()
        return (self.workdir, self.tmpdir, *shared_memory)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Confinement:
        return cls(**data)


def enter(confinement: Confinement, findings_fd: int) -> Guard:
    """Confine this (single-threaded) process. Call it after stdout and stderr are open and
    before the snippet's code runs; the returned guard explains an uncaught exception, writing
    to ``findings_fd``."""
    _point_caches_inside(confinement)
    _cap_memory(confinement.memory)
    if confinement.network == "namespace":
        _unshare_network()
    if confinement.landlock_abi:
        tcp_rules = confinement.landlock_abi >= 4 and confinement.network != ""
        _restrict(confinement.writable, confinement.landlock_abi, tcp_rules)
    if confinement.network == "seccomp":
        _refuse_network_sockets()
    guard = Guard(confinement, findings_fd)
    sys.addaudithook(guard.audit)
    return guard


def _cap_memory(size: int) -> None:
    """RLIMIT_AS: a forked child starts at ~150 MB of address space (numpy and matplotlib
    loaded, one BLAS thread), a fresh interpreter at ~13 MB, so the cap means about the same
    for both runners; allocations past it raise MemoryError."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = size if hard == resource.RLIM_INFINITY else min(size, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (ValueError, OSError):
        if sys.platform.startswith("linux"):
            raise
        # macOS does not enforce RLIMIT_AS and may refuse to set it: no cap there.


def _point_caches_inside(confinement: Confinement) -> None:
    """TMPDIR and MPLCONFIGDIR: one folder inside the run directory. Where matplotlib is not
    imported yet (the subprocess runner), its font cache is linked from the shared config
    directory (built, unconfined, by the zygote), so importing it does not rebuild the cache
    (~1 s); confined, the snippet reads the shared copy but cannot change it. (A link, not a
    copy: 0.07 ms instead of 0.8 ms in a freshly forked child.) In a fork of the warm zygote
    matplotlib has read it already."""
    shared = os.environ.get("MPLCONFIGDIR")
    if shared and os.path.isdir(shared) and "matplotlib" not in sys.modules:
        for entry in os.scandir(shared):
            if entry.name.startswith("fontlist-") and entry.is_file():
                os.symlink(entry.path, os.path.join(confinement.tmpdir, entry.name))
    os.environ["MPLCONFIGDIR"] = confinement.tmpdir
    os.environ["TMPDIR"] = confinement.tmpdir
    tempfile.tempdir = None  # the zygote may have resolved it already


def prepare_font_cache(environ: Mapping[str, str]) -> None:
    """Build matplotlib's font cache in the shared config directory if it is not there yet
    (once per machine): confined snippets only read it."""
    shared = environ.get("MPLCONFIGDIR")
    if not shared or any(Path(shared).glob("fontlist-*.json")):
        return
    subprocess.run(
        [sys.executable, "-c", "import matplotlib.font_manager"],
        env=dict(environ),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=False,
    )


@dataclass(frozen=True)
class Event:
    """Something confinement stopped or cleaned up: a blocked ``write`` (subject: the path),
    ``connect``, ``bind`` or ``send`` (the address), ``lookup`` (the name looked up), ``socket``
    (a network socket refused: its family and type, and the address looked up for it, if any),
    the ``memory`` cap (the cap in bytes), a leftover ``process`` (its pid and command line)."""

    kind: str
    subject: str

    def to_line(self) -> bytes:
        return json.dumps(asdict(self)).encode() + b"\n"


# What a refused socket operation fails with: Landlock and the seccomp filter refuse (EACCES);
# in a network namespace nothing is reachable (no interface is up).
_NETWORK_REFUSED = (errno.EACCES, errno.EPERM, errno.ENETUNREACH, errno.EADDRNOTAVAIL)


def _socket_kind(family: object, kind: object, looked_up: str | None) -> str:
    import socket

    def name(value: object, enum: type) -> str:
        try:
            return enum(value).name
        except (ValueError, TypeError):
            return str(value)

    described = f"({name(family, socket.AddressFamily)}, {name(kind, socket.SocketKind)})"
    return f"{described} for {looked_up}" if looked_up else described


def _address(address: object) -> str:
    if isinstance(address, tuple) and len(address) >= 2:
        host, port = address[0], address[1]
        return f"[{host}]:{port}" if ":" in str(host) else f"{host}:{port}"
    return repr(address)


class Guard:
    """In the confined child: remembers the last socket operation (an audit hook) and, for an
    uncaught exception, writes down what confinement stopped."""

    def __init__(self, confinement: Confinement, findings_fd: int) -> None:
        self._confinement = confinement
        self._findings_fd = findings_fd
        self._last_socket: tuple[str, str] | None = None
        self._looked_up: str | None = None  # the last address asked of getaddrinfo

    def audit(self, event: str, args: tuple) -> None:
        if event in ("socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg"):
            if args[1] is not None:  # sendmsg on a connected socket names no address
                kind = {"socket.sendto": "send", "socket.sendmsg": "send"}.get(event, event[7:])
                self._last_socket = (kind, _address(args[1]))
        elif event == "socket.getaddrinfo":
            self._looked_up = _address(args[:2]) if args[1] is not None else str(args[0])
            self._last_socket = ("lookup", str(args[0]))
        elif event == "socket.__new__" and args[1] not in _LOCAL_FAMILIES:
            # A look-up just before names what the socket was for (socket.create_connection).
            just_looked_up = (
                self._looked_up if self._last_socket and self._last_socket[0] == "lookup" else None
            )
            self._last_socket = ("socket", _socket_kind(args[1], args[2], just_looked_up))

    def explain(self, exc: BaseException) -> None:
        """Record what ``exc`` (an uncaught exception, with its causes) says confinement did."""
        event = self._classify(exc)
        if event is not None:
            os.write(self._findings_fd, event.to_line())

    def _classify(self, exc: BaseException) -> Event | None:
        import socket

        for cause in _causes(exc):
            if isinstance(cause, MemoryError):
                return Event("memory", str(self._confinement.memory))
            if not isinstance(cause, OSError):
                continue
            if cause.errno in (errno.EACCES, errno.EPERM) and self._confinement.landlock_abi:
                for name in (cause.filename, cause.filename2):
                    path = self._blocked_path(name)
                    if path:
                        return Event("write", path)
            if not self._confinement.network or not self._last_socket or cause.filename is not None:
                continue
            if isinstance(cause, socket.gaierror) and self._last_socket[0] == "lookup":
                return Event(*self._last_socket)
            if cause.errno in _NETWORK_REFUSED and self._last_socket[0] != "lookup":
                return Event(*self._last_socket)
        return None

    def _blocked_path(self, name: object) -> str | None:
        """``name`` as an absolute path when Landlock forbids writing there (and reading it was
        not the problem); None otherwise."""
        if isinstance(name, bytes):
            name = os.fsdecode(name)
        if not isinstance(name, str):
            return None
        path = os.path.abspath(name)
        if path == os.devnull or any(
            path == root or path.startswith(root.rstrip("/") + "/") for root in self._confinement.writable
        ):
            return None
        if os.path.exists(path) and not os.access(path, os.R_OK):
            return None  # unreadable for its owner's reasons, not ours
        return path


def _causes(exc: BaseException, limit: int = 20) -> list[BaseException]:
    """``exc`` and what it wraps: ``__cause__``, ``__context__``, urllib's ``reason``."""
    found: list[BaseException] = []
    todo = [exc]
    while todo and len(found) < limit:
        current = todo.pop(0)
        if current in found:
            continue
        found.append(current)
        for inner in (current.__cause__, current.__context__, getattr(current, "reason", None)):
            if isinstance(inner, BaseException):
                todo.append(inner)
    return found


# --- in the zygote: leftover processes -----------------------------------------------------


def become_subreaper() -> bool:
    """Make orphaned descendants re-parent to this process (Linux); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    return _libc().prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0


def _children() -> list[int]:
    pids: list[int] = []
    for task in os.scandir("/proc/self/task"):
        try:
            with open(os.path.join(task.path, "children"), encoding="ascii") as handle:
                pids.extend(int(pid) for pid in handle.read().split())
        except FileNotFoundError:  # the thread ended
            continue
    return pids


def _command_line(pid: int | str) -> str:
    with open(f"/proc/{pid}/cmdline", "rb") as handle:
        return handle.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()


def _describe(pid: int) -> str | None:
    """``pid N: command line``, or None for a process that has already ended (a zombie)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as handle:
            state = handle.read().rpartition(")")[2].split()[0]
        command = _command_line(pid)
        for _ in range(20):  # empty while it is half-way through exec() (Popen returns then)
            if command or state in ("Z", "X"):
                break
            time.sleep(0.001)
            command = _command_line(pid)
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None
    if state in ("Z", "X"):
        return None
    if command == _command_line("self"):  # forked by the snippet, still running its code
        command = "a copy of the snippet made by os.fork()"
    return f"pid {pid}: {command[:120] or '?'}"


def end_leftovers(keep: Collection[int]) -> list[str]:
    """Kill every child of this subreaper that is not in ``keep`` (snippets still running), and
    then the descendants each of those leaves to it; return a description of each process that
    was still running. Call it after reaping a snippet: its descendants are our children then."""
    if not os.path.isdir("/proc/self/task"):
        return []
    ended: list[str] = []
    for _ in range(1000):  # each round ends one more generation
        stray = [pid for pid in _children() if pid not in keep]
        if not stray:
            break
        for pid in stray:
            description = _describe(pid)
            if description:
                ended.append(description)
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for pid in stray:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
    return ended


# --- findings through a pipe --------------------------------------------------------------


def read_events(fd: int) -> list[Event]:
    """The events written to the (non-blocking) pipe ``fd`` so far; a torn line reads as nothing."""
    data = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except BlockingIOError:
            break
        if not chunk:
            break
        data += chunk
    events = []
    for line in data.splitlines():
        try:
            events.append(Event(**json.loads(line)))
        except (ValueError, TypeError):
            continue
    return events
