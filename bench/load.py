"""Load and faults: 50 concurrent clients on gunicorn + MariaDB + Redis, mixed Desk reads and API writes.

Builds the published 40-town round of bench/web.py (2026) and an open 2027 scheme for the same towns,
serves them with gunicorn, then runs --clients threads for --seconds: each request is a ranking page
(Desk, session), the live 2027 scores or a town's 2027 ledger rows (API, token), or a new 2027 ledger
row through the API (one in three). Afterwards it checks that every write the server acknowledged
(201) is in the database, and that the scores the API serves equal a fresh recompute.

--fault mariadb   restarts MariaDB a third of the way through: clients must get clear errors (503 with
                  Retry-After, never a 500 or a traceback) and no acknowledged write may be lost.
--fault worker    starts an RQ worker on a batch of 40 scorecards, kills it (SIGKILL) mid-batch,
                  starts another: the batch must end finished (whole file) or failed (no file offered),
                  never half-delivered.

Usage: .venv/bin/python bench/load.py [--clients 50] [--seconds 60] [--fault none|mariadb|worker]
Every request goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import web  # noqa: E402  (the published round and the server of bench/web.py)

READ_SHARE, WRITE_SHARE = 0.67, 0.33
RULES = ["8.1.a", "8.2.a", "3.1.b", "10.3.b", "1.3.b", "9.6.a", "6.1.a"]


def prepare(towns: int) -> dict:
    web.ENV["KAOHE_API_TOKEN_RATE"] = "1000000/minute"  # one token shared by many clients: no throttle here
    os.environ["KAOHE_API_TOKEN_RATE"] = web.ENV["KAOHE_API_TOKEN_RATE"]
    pages = web.build(towns)
    from django.contrib.auth import get_user_model

    from kaohe.actions.schemes import do_copy_scheme
    from kaohe.actions.tokens import do_create_token
    from kaohe.models import Scheme, Unit

    users = get_user_model().objects
    admin = users.get(username="bench-admin")
    scheme = Scheme.objects.filter(code="town-2027").first() or do_copy_scheme(
        Scheme.objects.get(code="town-2026"), year=2027, acting_user=admin)
    staff, collector = users.get(username="bench-staff"), users.get(username="bench-collector")
    return {
        "ranking": pages["ranking"],
        "scheme": scheme.code,
        "run": f"{int(time.time()):x}",  # notes unique to this run: rows of earlier runs never count
        "towns": list(Unit.objects.filter(group__code="town").values_list("name", flat=True)),
        "staff_token": do_create_token(staff, acting_user=admin).key,
        "collector_token": do_create_token(collector, acting_user=admin).key,
    }


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = {"ranking": [], "scores": [], "ledger": [], "write": []}
        self.statuses: Counter = Counter()
        self.acknowledged: list[str] = []
        self.bad_bodies: list[str] = []

    def add(self, kind: str, status: int | str, elapsed: float, body: bytes) -> None:
        with self.lock:
            self.times[kind].append(elapsed)
            self.statuses[(kind, status)] += 1
            if status == 500 or (isinstance(status, int) and status >= 500 and b"Traceback" in body):
                self.bad_bodies.append(body[:200].decode(errors="replace"))


def client(n: int, setup: dict, tally: Tally, deadline: float) -> None:
    rnd = random.Random(n)
    conn = http.client.HTTPConnection("127.0.0.1", web.PORT, timeout=30)
    ranking_path, session = setup["ranking"]
    written = 0
    while time.monotonic() < deadline:
        roll = rnd.random()
        headers = {"X-Forwarded-Proto": "https", "Accept-Language": "zh-hans"}
        body = None
        if roll < WRITE_SHARE:
            kind, method = "write", "POST"
            note = f"load-{setup['run']}-{n}-{written}"
            written += 1
            path = "/api/v1/ledger/"
            body = json.dumps({"scheme": setup["scheme"], "unit": rnd.choice(setup["towns"]), "rule": rnd.choice(RULES),
                               "quantity": "1", "date": f"2027-{rnd.randrange(1, 13):02d}-{rnd.randrange(1, 28):02d}",
                               "note": note}, ensure_ascii=False).encode()
            headers |= {"Authorization": f"Token {setup['staff_token']}", "Content-Type": "application/json"}
        elif roll < WRITE_SHARE + 0.30:
            kind, method, path = "ranking", "GET", ranking_path
            headers["Cookie"] = f"sessionid={session}"
        elif roll < WRITE_SHARE + 0.50:
            kind, method = "scores", "GET"
            path = f"/api/v1/schemes/{setup['scheme']}/scores/?group=town"
            headers["Authorization"] = f"Token {setup['collector_token']}"
        else:
            kind, method = "ledger", "GET"
            town = urllib.parse.quote(rnd.choice(setup["towns"]))
            path = f"/api/v1/ledger/?scheme={setup['scheme']}&unit={town}"
            headers["Authorization"] = f"Token {setup['staff_token']}"
        start = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as exc:
            data, status = b"", type(exc).__name__
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", web.PORT, timeout=30)
        tally.add(kind, status, time.perf_counter() - start, data)
        if kind == "write" and status == 201:
            with tally.lock:
                tally.acknowledged.append(note)
    conn.close()


def restart_mariadb(after: float, log: list) -> None:
    time.sleep(after)
    started = time.monotonic()
    subprocess.run(["mysqladmin", "-h127.0.0.1", "-uroot", "shutdown"], check=False, capture_output=True)
    for _ in range(240):  # the server may still be flushing after mysqladmin returns
        if subprocess.run(["pgrep", "-x", "mariadbd"], capture_output=True).returncode != 0:
            break
        time.sleep(0.25)
    subprocess.run(["start-stop-daemon", "--start", "--oknodo", "--background", "--exec", "/usr/sbin/mariadbd",
                    "--", "--user=mysql"], check=False, capture_output=True)
    for _ in range(120):
        if subprocess.run(["mysqladmin", "-h127.0.0.1", "-uroot", "ping"], capture_output=True).returncode == 0:
            break
        time.sleep(0.25)
    log.append(time.monotonic() - started)


def check(setup: dict, tally: Tally) -> dict:
    from django.db import connection

    from kaohe.models import LedgerEntry, Scheme
    from kaohe.report.scores import as_json
    from kaohe.services.scoring import score

    connection.close()  # a fresh connection after a restart
    scheme = Scheme.objects.get(code=setup["scheme"])
    stored = set(LedgerEntry.objects.filter(scheme=scheme, note__startswith=f"load-{setup['run']}-")
                 .values_list("note", flat=True))
    lost = sorted(set(tally.acknowledged) - stored)
    conn = http.client.HTTPConnection("127.0.0.1", web.PORT, timeout=60)
    conn.request("GET", f"/api/v1/schemes/{scheme.code}/scores/?group=town",
                 headers={"Authorization": f"Token {setup['collector_token']}", "X-Forwarded-Proto": "https"})
    served = json.loads(conn.getresponse().read())
    from django.core.cache import cache

    cache.clear()
    fresh = json.loads(as_json(score(scheme, group="town", explain=True)))
    return {"acknowledged": len(tally.acknowledged), "stored": len(stored), "lost": lost,
            "scores_equal": served == fresh}


def _descendants(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [d for child in map(int, found) for d in (*_descendants(child), child)]


def worker_fault(setup: dict) -> str:
    """Every town's scorecard as one batch on the print queue; SIGKILL the worker (and its work horse)
    mid-batch; the batch must then be reported stopped, offer nothing, and finish whole when retried."""
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from kaohe.actions.print_batches import do_retry_print_batch, do_start_print_batch, finished_file
    from kaohe.models import PrintBatch, Round
    from kaohe.printing.render import current_format

    admin = get_user_model().objects.get(username="bench-admin")
    round_ = Round.objects.filter(scheme__code="town-2026", state="published").latest("id")
    batch = do_start_print_batch(current_format("scorecard"), round_, acting_user=admin)
    render_cache = Path(settings.MEDIA_ROOT) / "print-cache"
    shutil.rmtree(render_cache, ignore_errors=True)  # cold: every card laid out again, so the kill lands mid-batch
    env = {**os.environ, **web.ENV}
    worker = subprocess.Popen([sys.executable, "manage.py", "rqworker", "print", "--burst"], cwd=ROOT, env=env,
                              start_new_session=True)
    for _ in range(600):  # kill it once it is into the batch
        time.sleep(0.1)
        seen = PrintBatch.objects.get(pk=batch.pk)
        if seen.state == PrintBatch.RUNNING and seen.done >= max(1, seen.total // 4):
            break
    for pid in [*_descendants(worker.pid), worker.pid]:  # the work horse runs in a session of its own
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    worker.wait()
    killed = PrintBatch.objects.get(pk=batch.pk)
    lines = [f"killed at {killed.done}/{killed.total} ({killed.state}); file offered: "
             f"{finished_file(killed) is not None}"]
    time.sleep(PrintBatch.STALLED_AFTER.total_seconds() + 1)
    stalled = PrintBatch.objects.get(pk=batch.pk)
    lines.append(f"after {PrintBatch.STALLED_AFTER.total_seconds():.0f} s without progress: stalled "
                 f"{stalled.stalled()}, file offered: {finished_file(stalled) is not None}")
    do_retry_print_batch(stalled, acting_user=admin)
    again = subprocess.run([sys.executable, "manage.py", "rqworker", "print", "--burst"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=900)
    final = PrintBatch.objects.get(pk=batch.pk)
    path = finished_file(final)
    from pypdf import PdfReader

    pages = len(PdfReader(path).pages) if path else 0
    lines.append(f"retried on a new worker (exit {again.returncode}): {final.state} {final.done}/{final.total}, "
                 f"file offered: {path is not None}, {pages} pages")
    return "; ".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--towns", type=int, default=40)
    parser.add_argument("--fault", choices=["none", "mariadb", "worker"], default="none")
    args = parser.parse_args()
    setup = prepare(args.towns)
    if args.fault == "worker":
        print(worker_fault(setup))
        return
    log_path = ROOT / "bench" / "out" / "load-server.log"
    log_path.parent.mkdir(exist_ok=True)
    log = log_path.open("wb")
    server = web.serve(log)
    tally, restarts = Tally(), []
    try:
        deadline = time.monotonic() + args.seconds
        threads = [threading.Thread(target=client, args=(n, setup, tally, deadline)) for n in range(args.clients)]
        if args.fault == "mariadb":
            threads.append(threading.Thread(target=restart_mariadb, args=(args.seconds / 3, restarts)))
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
        outcome = check(setup, tally)
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
    total = sum(len(v) for v in tally.times.values())
    print(f"{args.clients} clients for {wall:.0f} s, gunicorn {web.WORKERS}×{web.THREADS}, "
          f"{web.ENV['DATABASE_URL'].split('@')[-1]}, Redis; {total} requests, {total / wall:.0f} req/s")
    for kind, values in tally.times.items():
        if values:
            values.sort()
            p95 = values[max(0, int(len(values) * 0.95) - 1)]
            print(f"  {kind:8s} n={len(values):6d}  p50 {statistics.median(values) * 1000:7.1f} ms  "
                  f"p95 {p95 * 1000:7.1f} ms")
    errors = {f"{kind} {status}": count for (kind, status), count in sorted(tally.statuses.items(), key=str)
              if status not in (200, 201)}
    print(f"  answers other than 200/201: {errors or 'none'}")
    if restarts:
        print(f"  MariaDB restarted in {restarts[0]:.1f} s during the run")
    print(f"  unclear errors (500 or a traceback): {len(tally.bad_bodies)}; server log: {log_path.relative_to(ROOT)}")
    print(f"  writes acknowledged {outcome['acknowledged']}, in the database {outcome['stored']}, "
          f"acknowledged but lost {len(outcome['lost'])}; served scores equal a fresh recompute: "
          f"{outcome['scores_equal']}")


if __name__ == "__main__":
    main()
