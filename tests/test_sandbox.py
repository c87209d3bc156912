"""Snippets run confined: a snippet may write only in its own run directory, reaches no network
by any socket (TCP, UDP, others), leaves no process behind and has a memory cap. Each escape
fails the snippet with a message naming it, what it tried and what to do, and changes nothing
outside its folder.
Shown on a copy of the repository and on a small project of its own, through both runners,
and for the sandbox module in forked children (confinement cannot be lifted)."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import LESSON, ROOT, mkdocs_build
from fixtures import make_project
from test_faults import add_snippet, build_fails

from lessonkit.project import copy_project
from lessonkit.run import sandbox
from lessonkit.run.runner import run_forked, run_subprocess
from lessonkit.run.snippets import (
    DEFAULT_MEMORY,
    Snippet,
    SnippetConfigError,
    discover,
    format_size,
    parse_size,
)

RUNNERS = pytest.mark.parametrize("runner", [run_forked, run_subprocess], ids=["fork", "subprocess"])


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A one-lesson project (snippets/demo, docs/lessons/demo.md), as in test_faults."""
    page = "---\ntitle: Demo\n---\n\n# Demo\n\n{{ example greet.py }}\n\n{{ example count.py }}\n"
    return make_project(tmp_path / "project", {"lessons/demo.md": page})


def check(project: Path, *snippets: str, env: dict | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m lessonkit check`` in the project, as an author runs it."""
    return subprocess.run(
        [sys.executable, "-m", "lessonkit", "check", *snippets],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def make(tmp_path: Path, code: str, **settings) -> Snippet:
    folder = tmp_path / "snippets" / "lesson"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "escape.py"
    path.write_text(textwrap.dedent(code), encoding="utf-8")
    return Snippet(path=path, root=tmp_path, **settings)


@pytest.fixture
def loopback_server() -> Iterator[tuple[int, list]]:
    """A TCP server on 127.0.0.1 that records every connection it accepts."""
    server = socket.create_server(("127.0.0.1", 0))
    accepted: list = []

    def serve() -> None:
        while True:
            try:
                accepted.append(server.accept())
            except OSError:
                return

    threading.Thread(target=serve, daemon=True).start()
    yield server.getsockname()[1], accepted
    server.close()


@pytest.fixture
def udp_listener() -> Iterator[tuple[int, Callable[[], list[bytes]]]]:
    """A UDP socket on 127.0.0.1 (a DNS look-up leaves this way); ``received()`` drains it."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    listener.bind(("127.0.0.1", 0))
    listener.setblocking(False)

    def received() -> list[bytes]:
        time.sleep(0.2)  # a datagram on loopback arrives at once; leave it a moment all the same
        found = []
        while True:
            try:
                found.append(listener.recv(65536))
            except BlockingIOError:
                return found

    yield listener.getsockname()[1], received
    listener.close()


SEND_DATAGRAM = (
    "import socket\nsocket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'leak', ('127.0.0.1', {port}))\n"
)


def processes_running(marker: str) -> list[int]:
    """Live processes whose command line contains ``marker``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state = stat.read_text().rpartition(")")[2].split()[0]
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError):
            continue
        if marker in command and state != "Z":
            found.append(int(stat.parent.name))
    return found


def wait_until_gone(marker: str) -> list[int]:
    for _ in range(50):  # a kill is asynchronous; give the kernel a moment to reap
        if not processes_running(marker):
            break
        time.sleep(0.1)
    return processes_running(marker)


# --- each escape, in a project, as the author sees it ---------------------------------------


@pytest.mark.build
def test_a_write_into_the_repository_fails_the_build_and_changes_nothing(tmp_path: Path) -> None:
    """On a copy of this repository: a snippet that overwrites another's documented output."""
    tree = copy_project(ROOT, tmp_path / "tree", with_cache=True)
    lesson = tree / "snippets" / LESSON
    victim = lesson / "inspect-the-request-replay.out"
    before = victim.read_bytes()
    (lesson / "overwrites.py").write_text(f"open({str(victim)!r}, 'w').write('lost')\n")
    (lesson / "overwrites.out").write_text("")
    page = tree / "docs" / "lessons" / f"{LESSON}.md"
    page.write_text(page.read_text() + "\n{{ example overwrites.py }}\n")
    output = build_fails(tree, tmp_path)
    where = f"snippets/{LESSON}/overwrites.py"
    assert f"{where} tried to write {victim}, outside its working directory, and was stopped" in output
    assert sandbox.WRITE_HINT in output
    assert victim.read_bytes() == before


def test_a_write_to_home_is_stopped(project: Path) -> None:
    target = Path.home() / f"lessonkit-escape-{uuid.uuid4().hex}.txt"
    where = add_snippet(
        project,
        "home.py",
        f"from pathlib import Path\nPath.home().joinpath({target.name!r}).write_text('x')\n",
        out="",
    )
    run = check(project, where)
    assert run.returncode == 1
    assert f"{where} tried to write {target}, outside its working directory" in run.stderr
    assert "PermissionError" in run.stderr  # the traceback shows the line
    assert not target.exists()


def test_a_connection_to_a_loopback_server_is_stopped(project: Path, loopback_server) -> None:
    port, accepted = loopback_server
    where = add_snippet(
        project,
        "fetches.py",
        f"import urllib.request\nurllib.request.urlopen('http://127.0.0.1:{port}/data.csv')\n",
        out="",
    )
    run = check(project, where)
    assert run.returncode == 1
    assert f"{where} tried to connect to 127.0.0.1:{port} and was stopped" in run.stderr
    assert sandbox.NETWORK_HINT in run.stderr
    assert accepted == []


def test_a_daemonized_grandchild_is_ended_and_named(project: Path) -> None:
    marker = f"{time.time_ns() % 10**9}.5"  # a unique `sleep` argument to find the process by
    where = add_snippet(
        project,
        "daemon.py",
        f"""\
        import os, subprocess
        subprocess.Popen(["sleep", "{marker}"], start_new_session=True)  # a new session
        started = os.pipe()
        if os.fork() == 0:  # a double fork, as daemons do
            os.setsid()
            if os.fork() == 0:
                os.execvp("sleep", ["sleep", "{marker}1"])  # closes the pipe (close-on-exec)
            os._exit(0)
        os.close(started[1])
        os.read(started[0], 1)  # end of file: the grandchild is running `sleep`
        print("started")
        """,
        out="started\n",
    )
    run = check(project, where)
    assert run.returncode == 1
    assert f"{where} left 2 process(es) running when it ended, which were stopped" in run.stderr
    assert f"sleep {marker}1" in run.stderr and re.search(rf"sleep {re.escape(marker)}[;.]", run.stderr)
    assert wait_until_gone(marker) == []


def test_the_memory_cap_is_named_when_a_snippet_hits_it(project: Path) -> None:
    big = "import numpy as np\nnp.zeros(5 * 2**30, dtype=np.uint8)  # 5 GiB, never touched\nprint('ok')\n"
    where = add_snippet(project, "hungry.py", big, out="ok\n")
    run = check(project, where)
    assert run.returncode == 1
    assert f"{where} ran out of memory: it may use 4 GiB" in run.stderr
    assert 'memory = "8 GiB"` under [hungry]' in run.stderr and "MemoryError" in run.stderr

    (project / "snippets" / "demo" / "snippets.toml").write_text('[hungry]\nmemory = "8GiB"\n')
    assert check(project, where).returncode == 0


def test_a_snippet_sending_udp_fails_the_build_naming_it_and_the_address(
    project: Path, tmp_path: Path, udp_listener
) -> None:
    port, received = udp_listener
    add_snippet(project, "phone-home.py", SEND_DATAGRAM.format(port=port), out="")
    output = build_fails(project, tmp_path)
    assert received() == []
    where = "snippets/demo/phone-home.py"
    if sandbox.network_mechanism() == "namespace":
        assert f"{where} tried to send a datagram to 127.0.0.1:{port} and was stopped" in output
    else:
        assert f"{where} tried to open a network socket (AF_INET, SOCK_DGRAM) and was stopped" in output
    assert sandbox.NETWORK_HINT in output and "Traceback (most recent call last)" in output


def test_a_bad_memory_setting_names_the_file_and_key(project: Path, tmp_path: Path) -> None:
    add_snippet(project, "small.py", "print(1)\n", out="1\n", settings='[small]\nmemory = "8 gigs"\n')
    output = build_fails(project, tmp_path)
    assert "snippets/demo/snippets.toml: [small] `memory` must be a size in KiB, MiB, GiB or TiB" in output
    assert "not '8 gigs'" in output and "Traceback" not in output


def test_unconfined_snippets_are_said_once_per_build(project: Path, tmp_path: Path) -> None:
    add_snippet(project, "fresh.py", "print('fresh')\n", out="fresh\n")  # one snippet must run
    result = mkdocs_build(project, tmp_path / "site", env={"LESSONKIT_SANDBOX": "off"})
    assert result.ok, result.output
    assert result.output.count("snippets run unconfined") == 1


def test_a_bad_sandbox_mode_fails_with_the_accepted_values(project: Path) -> None:
    run = check(project, env={"LESSONKIT_SANDBOX": "sometimes"})
    assert run.returncode == 1
    assert "LESSONKIT_SANDBOX must be one of required, auto, off, not 'sometimes'" in run.stderr


# --- both runners: what is stopped and what still works ----------------------------------


@RUNNERS
def test_writes_outside_the_run_directory_are_stopped(runner, tmp_path: Path) -> None:
    victim = tmp_path / "committed.out"
    victim.write_text("documented\n")
    result = runner(make(tmp_path, f"open({str(victim)!r}, 'a').write('appended')\n"))
    assert result.returncode == 1
    assert result.sandbox_events == (sandbox.Event("write", str(victim)),)
    assert victim.read_text() == "documented\n"


@RUNNERS
def test_tcp_connect_and_bind_are_stopped(runner, tmp_path: Path, loopback_server) -> None:
    port, accepted = loopback_server
    connect = runner(make(tmp_path, f"import socket\nsocket.create_connection(('127.0.0.1', {port}))\n"))
    assert connect.sandbox_events == (sandbox.Event("connect", f"127.0.0.1:{port}"),)
    bind = runner(make(tmp_path, "import socket\nsocket.create_server(('127.0.0.1', 0))\n"))
    assert bind.sandbox_events == (sandbox.Event("bind", "127.0.0.1:0"),)
    assert accepted == []


@RUNNERS
def test_a_udp_datagram_never_leaves_the_snippet(runner, tmp_path: Path, udp_listener) -> None:
    port, received = udp_listener
    unconfined = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    unconfined.sendto(b"probe", ("127.0.0.1", port))
    unconfined.close()
    assert received() == [b"probe"], "the listener hears a datagram sent from outside the sandbox"
    result = runner(make(tmp_path, SEND_DATAGRAM.format(port=port)))
    assert result.returncode == 1
    assert received() == []
    assert result.sandbox_events in (
        (sandbox.Event("send", f"127.0.0.1:{port}"),),  # network namespace
        (sandbox.Event("socket", "(AF_INET, SOCK_DGRAM)"),),  # seccomp
    )


@RUNNERS
def test_what_running_needs_still_works(runner, tmp_path: Path) -> None:
    code = """\
        import multiprocessing, os, tempfile
        import matplotlib.pyplot as plt
        with tempfile.NamedTemporaryFile() as scratch:
            print("tmp inside run", os.path.dirname(scratch.name) == os.environ["TMPDIR"])
        print("tmp not cwd", os.environ["TMPDIR"] != os.getcwd())
        open(os.devnull, "w").write("discarded")
        plt.plot([0, 1])
        plt.savefig("plot.png")
        with multiprocessing.Pool(2) as pool:  # semaphores in /dev/shm
            print("pool", pool.map(abs, [-1, -2]))
    """
    result = runner(make(tmp_path, code))
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout == b"tmp inside run True\ntmp not cwd True\npool [1, 2]\n"
    assert result.stderr == b"" and result.sandbox_events == ()
    assert list(result.artifacts) == ["plot.png"]


@RUNNERS
def test_leftover_processes_are_ended_after_the_snippet(runner, tmp_path: Path) -> None:
    marker = f"{time.time_ns() % 10**9}.25"
    code = f"import subprocess\nsubprocess.Popen(['sleep', '{marker}'], start_new_session=True)\n"
    result = runner(make(tmp_path, code))
    assert result.returncode == 0
    assert [e.kind for e in result.sandbox_events] == ["process"], result.sandbox_events
    assert f"sleep {marker}" in result.sandbox_events[0].subject, result.sandbox_events
    assert wait_until_gone(marker) == []


@RUNNERS
def test_a_new_session_does_not_survive_a_time_out(runner, tmp_path: Path) -> None:
    marker = f"{time.time_ns() % 10**9}.75"
    code = f"""\
        import subprocess, time
        subprocess.Popen(['sleep', '{marker}'], start_new_session=True)
        time.sleep(60)
    """
    result = runner(make(tmp_path, code, timeout=1.5))
    assert result.timed_out
    assert wait_until_gone(marker) == []


@RUNNERS
def test_hitting_the_memory_cap_is_recorded(runner, tmp_path: Path) -> None:
    code = "import numpy as np\nnp.zeros(2 * 2**30, dtype=np.uint8)\n"
    capped = runner(make(tmp_path, code, memory=parse_size("1GiB")))
    assert capped.sandbox_events == (sandbox.Event("memory", str(2**30)),)
    assert b"MemoryError" in capped.stderr
    assert runner(make(tmp_path, code, memory=parse_size("3GiB"))).returncode == 0


def test_a_run_that_confinement_cleaned_up_after_is_not_cached(tmp_path: Path) -> None:
    from lessonkit.run.cache import RunCache
    from lessonkit.run.results import RunResult

    cache = RunCache(tmp_path)
    left = RunResult(b"", b"", 0, 0.1, sandbox_events=(sandbox.Event("process", "pid 1: sleep 9"),))
    cache.put("k" * 64, left)
    assert cache.get("k" * 64) is None


# --- the sandbox module, in-process where it can be ----------------------------------------


def test_memory_sizes_read_and_print_as_authors_write_them(tmp_path: Path) -> None:
    assert parse_size("8GiB") == 8 * 2**30
    assert parse_size("512 MiB") == 512 * 2**20
    assert parse_size("1.5GiB") == 3 * 2**29
    for bad in ("8GB", "8", 8, "lots", "0GiB", "-1GiB"):
        assert parse_size(bad) is None, bad
    assert format_size(DEFAULT_MEMORY) == "4 GiB"
    assert format_size(3 * 2**29) == "1.5 GiB"
    assert format_size(512 * 2**20) == "512 MiB"

    lesson = tmp_path / "snippets" / "lesson"
    lesson.mkdir(parents=True)
    (lesson / "big.py").write_text("print(1)\n")
    (lesson / "snippets.toml").write_text('[big]\nmemory = "8GiB"\n')
    assert discover(tmp_path / "snippets", tmp_path)[0].memory == 8 * 2**30
    (lesson / "snippets.toml").write_text("[big]\nmemory = 8\n")
    with pytest.raises(SnippetConfigError, match=r"snippets\.toml: \[big\] `memory` must be a size"):
        discover(tmp_path / "snippets", tmp_path)


def test_the_sandbox_mode_is_decided_from_the_environment_and_the_kernel() -> None:
    full = sandbox.decide(environ={}, abi=7, mechanism="namespace")
    assert (full.landlock_abi, full.network, full.complete) == (7, "namespace", True)
    assert full.notice == (
        "lessonkit: snippets run confined: writes by Landlock (ABI 7), network by a network "
        "namespace of their own (no interface up), and Landlock's TCP rules"
    )
    filtered = sandbox.decide(environ={"LESSONKIT_SANDBOX": "required"}, abi=4, mechanism="seccomp")
    assert (filtered.network, filtered.complete) == ("seccomp", True)
    assert "network by a seccomp filter on socket() (local sockets only)" in filtered.notice
    off = sandbox.decide(environ={"LESSONKIT_SANDBOX": "off"}, abi=7)
    assert not off.landlock_abi and not off.network and "unconfined" in off.notice
    tcp_only = sandbox.decide(environ={}, abi=7, mechanism="")  # Landlock's TCP rules, nothing else
    assert tcp_only.network == "landlock" and not tcp_only.complete
    assert "they may send UDP and open other sockets" in tcp_only.notice
    with pytest.raises(sandbox.SandboxError, match=r"required, but .* may send UDP"):
        sandbox.decide(environ={"LESSONKIT_SANDBOX": "required"}, abi=7, mechanism="")
    nothing = sandbox.decide(environ={}, abi=3, mechanism="")
    assert not nothing.network and "network connections" in nothing.notice
    none = sandbox.decide(environ={}, abi=0, mechanism="seccomp")
    assert "no Landlock" in none.notice
    with pytest.raises(sandbox.SandboxError, match="required, but snippets cannot be confined here"):
        sandbox.decide(environ={"LESSONKIT_SANDBOX": "required"}, abi=0)
    with pytest.raises(sandbox.SandboxError, match="must be one of"):
        sandbox.decide(environ={"LESSONKIT_SANDBOX": "yes"})
    # The plugin's `sandbox` option sets the mode; the environment variable overrides it.
    assert (
        sandbox.decide("off", environ={}, abi=7).notice == "lessonkit: snippets run unconfined (sandbox: off)"
    )
    with pytest.raises(sandbox.SandboxError, match="required, but"):
        sandbox.decide("required", environ={}, abi=0)
    assert sandbox.decide("required", environ={"LESSONKIT_SANDBOX": "auto"}, abi=0).notice


def test_this_machine_keeps_snippets_off_the_network_by_namespace_as_root_else_seccomp() -> None:
    expected = "namespace" if os.geteuid() == 0 else "seccomp"
    assert sandbox.network_mechanism() == expected
    assert sandbox.decide(environ={}).network == expected


def in_child(body: Callable[[], object]) -> object:
    """Run ``body`` in a forked child (confinement cannot be lifted) and return what it returns."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            answer = body()
        except BaseException as exc:
            answer = f"raised {exc!r}"
        os.write(write, json.dumps(answer).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    return json.loads(data)


def confinement(tmp_path: Path, **overrides) -> sandbox.Confinement:
    folders = {name: tmp_path / name for name in ("cwd", "tmp")}
    for folder in folders.values():
        folder.mkdir(exist_ok=True)
    settings = dict(
        workdir=str(folders["cwd"]),
        tmpdir=str(folders["tmp"]),
        memory=DEFAULT_MEMORY,
        landlock_abi=sandbox.landlock_abi(),
        network="landlock",
    )
    return sandbox.Confinement(**{**settings, **overrides})


def attempt(guard: sandbox.Guard, action: Callable[[], object]) -> list:
    """What ``action`` did under confinement: ["ok"], or the error and how the guard reads it."""
    try:
        action()
        return ["ok"]
    except BaseException as exc:
        event = guard._classify(exc)
        return [type(exc).__name__, event and [event.kind, event.subject]]


def test_landlock_rules_allow_the_run_directory_and_stop_everything_else(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("kept")
    rules = confinement(tmp_path)

    def body() -> dict:
        guard = sandbox.enter(rules, os.open(os.devnull, os.O_WRONLY))
        return {
            "write in cwd": attempt(guard, lambda: Path(rules.workdir, "a").write_text("x")),
            "mkdir in tmp": attempt(guard, lambda: Path(rules.tmpdir, "d").mkdir()),
            "devnull": attempt(guard, lambda: open(os.devnull, "w").write("x")),
            "read outside": attempt(guard, outside.read_text),
            "overwrite outside": attempt(guard, lambda: outside.write_text("lost")),
            "delete outside": attempt(guard, outside.unlink),
            "create outside": attempt(guard, lambda: (tmp_path / "new").touch()),
            "rename out": attempt(guard, lambda: os.rename(Path(rules.workdir, "a"), tmp_path / "moved")),
            "signal the parent": attempt(guard, lambda: os.kill(os.getppid(), 0)),
        }

    seen = in_child(body)
    assert seen == {
        "write in cwd": ["ok"],
        "mkdir in tmp": ["ok"],
        "devnull": ["ok"],
        "read outside": ["ok"],
        "overwrite outside": ["PermissionError", ["write", str(outside)]],
        "delete outside": ["PermissionError", ["write", str(outside)]],
        "create outside": ["PermissionError", ["write", str(tmp_path / "new")]],
        "rename out": [seen["rename out"][0], ["write", str(tmp_path / "moved")]],
        "signal the parent": ["PermissionError", None],  # Landlock scopes (ABI >= 6)
    }
    assert outside.read_text() == "kept"


@pytest.mark.skipif(os.geteuid() != 0, reason="a network namespace needs root")
def test_without_landlock_network_rules_a_network_namespace_stops_connections(
    tmp_path: Path, loopback_server
) -> None:
    port, accepted = loopback_server
    rules = confinement(tmp_path, landlock_abi=0, network="namespace")

    def body() -> list:
        guard = sandbox.enter(rules, os.open(os.devnull, os.O_WRONLY))
        return attempt(guard, lambda: socket.create_connection(("127.0.0.1", port), timeout=5))

    assert in_child(body) == ["OSError", ["connect", f"127.0.0.1:{port}"]]
    assert accepted == []


def test_without_a_namespace_a_seccomp_filter_refuses_every_socket_but_local_ones(
    tmp_path: Path, loopback_server, udp_listener
) -> None:
    tcp_port, accepted = loopback_server
    udp_port, received = udp_listener
    rules = confinement(tmp_path, landlock_abi=0, network="seccomp")

    def body() -> dict:
        guard = sandbox.enter(rules, os.open(os.devnull, os.O_WRONLY))
        udp = lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("127.0.0.1", udp_port))  # noqa: E731
        return {
            "udp": attempt(guard, udp),
            "tcp": attempt(guard, lambda: socket.create_connection(("127.0.0.1", tcp_port), timeout=5)),
            "ipv6": attempt(guard, lambda: socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)),
            "raw": attempt(guard, lambda: socket.socket(socket.AF_PACKET, socket.SOCK_RAW)),
            "unix": attempt(guard, lambda: [end.close() for end in socket.socketpair()]),
            "pipe": attempt(guard, lambda: [os.close(end) for end in os.pipe()]),
        }

    assert in_child(body) == {
        "udp": ["PermissionError", ["socket", "(AF_INET, SOCK_DGRAM)"]],
        "tcp": ["PermissionError", ["socket", f"(AF_INET, SOCK_STREAM) for 127.0.0.1:{tcp_port}"]],
        "ipv6": ["PermissionError", ["socket", "(AF_INET6, SOCK_DGRAM)"]],
        "raw": ["PermissionError", ["socket", "(AF_PACKET, SOCK_RAW)"]],
        "unix": ["ok"],
        "pipe": ["ok"],
    }
    assert received() == [] and accepted == []


@pytest.mark.skipif(os.geteuid() != 0, reason="a network namespace needs root")
def test_in_a_network_namespace_a_datagram_and_a_name_look_up_go_nowhere(
    tmp_path: Path, udp_listener
) -> None:
    port, received = udp_listener
    rules = confinement(tmp_path, network="namespace")

    def body() -> dict:
        guard = sandbox.enter(rules, os.open(os.devnull, os.O_WRONLY))
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        return {
            "udp": attempt(guard, lambda: udp.sendto(b"x", ("127.0.0.1", port))),
            "lookup": attempt(guard, lambda: socket.getaddrinfo("lessonkit-test.example", 80)),
        }

    seen = in_child(body)
    assert seen["udp"] == ["OSError", ["send", f"127.0.0.1:{port}"]]
    assert seen["lookup"] == ["gaierror", ["lookup", "lessonkit-test.example"]]
    assert received() == []


def test_an_unrelated_error_is_not_blamed_on_confinement(tmp_path: Path) -> None:
    rules = confinement(tmp_path)
    guard = sandbox.Guard(rules, os.open(os.devnull, os.O_WRONLY))
    inside = PermissionError(13, "Permission denied", os.path.join(rules.workdir, "locked"))
    assert guard._classify(inside) is None  # its own folder: not ours to explain
    assert guard._classify(ValueError("bad")) is None
    assert guard._classify(PermissionError(13, "Permission denied")) is None  # no socket used
    wrapped = RuntimeError("could not save")
    wrapped.__cause__ = PermissionError(13, "Permission denied", "/etc/passwd")
    assert guard._classify(wrapped) == sandbox.Event("write", "/etc/passwd")


def test_leftovers_of_a_finished_child_are_ended_by_the_subreaper(tmp_path: Path) -> None:
    marker = f"{time.time_ns() % 10**9}.125"

    def body() -> list:
        assert sandbox.become_subreaper()
        subprocess.Popen(["sh", "-c", f"sleep {marker} & sleep {marker}0 & exit 0"]).wait()
        time.sleep(0.2)  # both sleeps are orphans now, re-parented to this process
        return sorted(d.split(": ", 1)[1] for d in sandbox.end_leftovers(keep=()))

    assert in_child(body) == [f"sleep {marker}", f"sleep {marker}0"]
    assert wait_until_gone(marker) == []


def test_findings_cross_the_pipe_and_a_torn_line_is_ignored() -> None:
    read, write = os.pipe()
    os.set_blocking(read, False)
    assert sandbox.read_events(read) == []  # nothing written yet: no waiting
    events = [sandbox.Event("write", "/x"), sandbox.Event("connect", "127.0.0.1:80")]
    os.write(write, b"".join(event.to_line() for event in events) + b'{"kind": "wri')
    os.close(write)
    assert sandbox.read_events(read) == events
    os.close(read)


def test_the_font_cache_is_linked_where_matplotlib_is_not_loaded_yet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "fontlist-v1.json").write_text("{}")
    monkeypatch.setenv("MPLCONFIGDIR", str(shared))
    rules = confinement(tmp_path)

    def body() -> list:
        sys.modules.pop("matplotlib", None)  # as in a fresh interpreter
        sandbox._point_caches_inside(rules)
        linked = Path(rules.tmpdir, "fontlist-v1.json")
        return [os.environ["MPLCONFIGDIR"], os.environ["TMPDIR"], linked.is_symlink(), linked.read_text()]

    assert in_child(body) == [rules.tmpdir, rules.tmpdir, True, "{}"]
