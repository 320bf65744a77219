"""No network at run time: a full analysis passes with sockets blocked.

Blocking is done twice over: ``socket.socket`` (internet families), ``socket.create_connection``
and name lookups are monkeypatched to raise, and an audit hook refuses and records any
internet socket, connect or lookup made by other routes (C extensions calling into ``socket``).
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"

# Runs before reflect_nlp (or anything it imports) is imported, in the CLI's own process.
BLOCK = r'''
import socket, sys
LOG = sys.argv.pop(1)
INTERNET = {socket.AF_INET, socket.AF_INET6}

def refuse(what, record=True):
    # Creating a socket only raises (urllib3 probes for IPv6 at import and copes); a connect,
    # send or name lookup is also recorded: that would be network use.
    if record:
        with open(LOG, "a") as f:
            f.write(what + "\n")
    raise OSError(f"network blocked by test: {what}")

def hook(event, args):
    if event == "socket.__new__" and args[1] in INTERNET:
        refuse(f"socket {args[1]!r}", record=False)
    elif event in ("socket.connect", "socket.sendto", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr", "urllib.Request"):
        refuse(f"{event} {args!r}"[:200])

sys.addaudithook(hook)
_Socket = socket.socket
class Blocked(_Socket):
    def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
        if family in INTERNET or (family == -1 and fileno is None):
            refuse(f"socket.socket({family})", record=False)
        super().__init__(family, type, proto, fileno)
socket.socket = Blocked
socket.create_connection = lambda *a, **k: refuse(f"create_connection{a!r}")
socket.getaddrinfo = lambda *a, **k: refuse(f"getaddrinfo{a!r}")
socket.gethostbyname = lambda *a, **k: refuse(f"gethostbyname{a!r}")

from reflect_nlp.cli import main
sys.exit(main(sys.argv[1:]))
'''


def test_full_cli_analysis_with_sockets_blocked(tmp_path):
    log = tmp_path / "network-attempts.log"
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-c", BLOCK, str(log), "analyze", str(SAMPLES), "--out", str(out),
         "--format", "html,md,json,csv", "--redact", "--store", str(tmp_path / "store.sqlite"), "--jobs", "2", "-q"],
        capture_output=True, text=True, timeout=900,
    )
    attempts = log.read_text() if log.exists() else ""
    assert attempts == "", f"network was attempted:\n{attempts}"
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (out / "report.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    for name in ("report.md", "report.json"):
        assert (out / name).stat().st_size > 0
    assert list((out / "tables").glob("*.csv")) and list((out / "figures").glob("*.png"))


def test_api_analysis_and_report_with_sockets_blocked(monkeypatch, tmp_path, nlp):
    import socket

    attempts: list[str] = []

    def refuse(*args, **kwargs):
        attempts.append(repr(args)[:200])
        raise OSError("network blocked by test")

    def no_socket(*args):
        raise OSError("network blocked by test")

    real = socket.socket

    class Blocked(real):
        def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
            if family in (socket.AF_INET, socket.AF_INET6) or (family == -1 and fileno is None):
                no_socket(family)
            super().__init__(family, type, proto, fileno)

    monkeypatch.setattr(socket, "socket", Blocked)
    for name in ("create_connection", "getaddrinfo", "gethostbyname"):
        monkeypatch.setattr(socket, name, refuse)

    from reflect_nlp import analyze

    analysis = analyze(SAMPLES, nlp=nlp, store=tmp_path / "store.sqlite")
    path = analysis.to_file(tmp_path / "out", formats="html,md,json,csv")
    assert path.exists() and len(analysis.entries) > 0
    assert analysis._repr_html_()
    assert attempts == []
