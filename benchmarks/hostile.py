"""Hostile inputs and a sign-in attack (issue 14). One `name: value unit` line per figure.

- hostile_<file>_seconds / _peak_memory / _exit: `rectify extract` on each file of
  ../shared/cases/hostile/ and on the bombs tests/hostile_inputs.py makes (2 MB zips that
  inflate to 2 GiB, a 2,000,000-character line, a 40,000-row CSV), each in its own process
  under a 1 GiB address-space limit (exit 0: a valid extraction; 2: one line; target: every
  one 0 or 2, within seconds, well under 1 GiB).
- login_attack_overview_p95: the overview's callback for a signed-in user over HTTP
  (`rectify serve`, the seed warehouse), while 16 threads send wrong passwords; beside it the
  same without the attack and under as many threads fetching a stylesheet (what the requests
  cost by themselves), and how many wrong passwords were sent and refused unchecked.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from hostile_inputs import generated, stored  # noqa: E402

from benchmarks.dashboard import p95, start_server, with_department  # noqa: E402
from pipeline import load_paths  # noqa: E402

RECTIFY = str(Path(sys.executable).with_name("rectify"))
SEED = ROOT / "data" / "samples" / "000_ea4a386f79e332ee.txt"
ATTACKERS = 16
ROUNDS = 100
PASSWORD = "benchmark password 整改"


# Run in a small process of its own, so that a child's peak memory is its own: a child
# forked from this benchmark would count this process's pages until it execs.
_MEASURE = """
import os, resource, sys
pid = os.fork()
if pid == 0:
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)
"""


def hostile(folder: Path) -> None:
    for path in [*stored(), *generated(folder)]:
        t0 = time.perf_counter()
        measured = subprocess.run(
            [
                sys.executable,
                "-I",
                "-S",
                "-c",
                _MEASURE,
                RECTIFY,
                "extract",
                "--compact",
                str(path),
            ],
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - t0
        code, peak_kib = measured.stdout.split()[-2:]
        name = path.name.replace(".", "_")
        print(f"hostile_{name}_seconds: {seconds:.2f} s")
        print(f"hostile_{name}_peak_memory: {int(peak_kib) / 1024:.0f} MiB")
        print(f"hostile_{name}_exit: {code} code")


def _overview_request(base: str, cookies: dict) -> dict:
    """The overview's callback request as the page sends it when a filter changes."""
    from playwright.sync_api import sync_playwright

    kept: list[dict] = []

    def keep(request):
        if request.method == "POST" and "_dash-update-component" in request.url:
            body = json.loads(request.post_data or "{}")
            if "kpi-row" in body.get("output", ""):
                kept.append(body)

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--headless"]
        )
        context = browser.new_context()
        context.add_cookies([{"name": k, "value": v, "url": base} for k, v in cookies.items()])
        page = context.new_page()
        page.on("request", keep)
        page.goto(base + "/")
        page.wait_for_selector("#kpi-row", timeout=60000)
        page.fill("#filter-text", "管网")
        page.keyboard.press("Enter")
        page.wait_for_function("() => window.location.search.includes('q=')")
        page.wait_for_timeout(1000)
        browser.close()
    return kept[-1]


def _overview_p95(base: str, body: dict, session) -> float:
    times = []
    for i in range(ROUNDS):
        data = with_department(body, None if i % 2 else "区城市管理委")
        t0 = time.perf_counter()
        answer = session.post(
            base + "/_dash-update-component",
            data=data,
            headers={"Content-Type": "application/json"},
            timeout=60,
        )
        times.append(time.perf_counter() - t0)
        assert answer.status_code == 200, answer.status_code
    return p95(times)


_ATTACK = """
import collections, json, sys, threading, requests
base, n, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
stop, answers = threading.Event(), collections.Counter()

def attacker(k):
    guess = requests.Session()
    while not stop.is_set():
        if mode == "static":  # the same flood of requests, for the cheapest page there is
            r = guess.get(base + "/assets/rectify.css", timeout=60)
        else:
            name = "analyst" if k % 2 else f"nobody{k}-{sum(answers.values())}"
            r = guess.post(base + "/login", data={"user": name, "password": "x"}, timeout=60)
        answers[str(r.status_code)] += 1

threads = [threading.Thread(target=attacker, args=(k,)) for k in range(n)]
for t in threads:
    t.start()
sys.stdin.read()
stop.set()
for t in threads:
    t.join()
print(json.dumps(answers))
"""


def _under_flood(base: str, body: dict, session, mode: str) -> tuple[float, dict]:
    """The overview's p95, and the flood's answers by status, while ATTACKERS threads send requests (`mode` "login": wrong
    passwords; "static": a stylesheet). The threads run in a process of their own (they do
    not share this one's interpreter lock) and stop when their standard input closes."""
    flood = subprocess.Popen(
        [sys.executable, "-c", _ATTACK, base, str(ATTACKERS), mode],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    time.sleep(2)
    p95_seconds = _overview_p95(base, body, session)
    return p95_seconds, json.loads(flood.communicate("", timeout=120)[0])


def login_attack(folder: Path) -> None:
    import requests

    db = folder / "w.duckdb"
    load_paths([SEED], db)
    users = folder / "users"
    subprocess.run(
        [RECTIFY, "user", "add", "analyst", "--users", str(users), "--password-stdin"],
        input=PASSWORD + "\n",
        text=True,
        check=True,
        capture_output=True,
    )
    os.environ["RECTIFY_USERS_FILE"] = str(users)
    server, base = start_server(db, workers=2)
    try:
        session = requests.Session()
        signed = session.post(
            base + "/login", data={"user": "analyst", "password": PASSWORD}, timeout=30
        )
        assert signed.ok, signed.status_code
        body = _overview_request(base, session.cookies.get_dict())
        _overview_p95(base, body, session)  # warm
        quiet = _overview_p95(base, body, session)
        attacked, answers = _under_flood(base, body, session, "login")
        static, _ = _under_flood(base, body, session, "static")
        print(f"login_attack_overview_p95: {attacked * 1000:.1f} ms ({ATTACKERS} threads)")
        print(f"login_attack_overview_p95_quiet: {quiet * 1000:.1f} ms")
        print(
            f"login_attack_overview_p95_static_flood: {static * 1000:.1f} ms (as many threads "
            "fetching a stylesheet: the cost of the requests themselves)"
        )
        print(f"login_attack_wrong_passwords_sent: {sum(answers.values())} requests")
        print(f"login_attack_refused_unchecked: {answers.get('429', 0)} requests")
        print(f"login_attack_checked_and_wrong: {answers.get('401', 0)} requests")
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        hostile(Path(tmp) / "generated")
        login_attack(Path(tmp))


if __name__ == "__main__":
    main()
