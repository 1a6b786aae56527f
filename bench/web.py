"""The Desk under load: gunicorn on loopback, MariaDB, Redis as the cache, 50 concurrent users.

Builds a published 40-town round, serves it with gunicorn, then 50 client threads — each a user
who reads a page for about a second (--think) before the next — request the ranking page, a
section's score-entry grid and a town's result page, a bounded number of times each, and print
p50 / p95 per page. --think 0 removes the pause and shows the saturated server instead.
Every request goes to 127.0.0.1 only.
Usage: .venv/bin/python bench/web.py [--users 50] [--requests 20] [--towns 40] [--think 1.0]
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8123"))  # another port when 8123 is taken
# On two cores, three single-threaded workers beat more workers or threads (measured: 4×2, 5×1, 2×4).
WORKERS = os.environ.get("BENCH_WORKERS", "3")
THREADS = os.environ.get("BENCH_THREADS", "1")
ENV = {
    "DATABASE_URL": os.environ.get("DATABASE_URL") or "mysql://root@127.0.0.1:3306/kaohe_web",
    "REDIS_URL": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/14",
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "bench-" + "k" * 60,
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
}


def build(towns: int) -> dict:
    os.environ.update(ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from _setup import _create_mysql_database

    if ENV["DATABASE_URL"].startswith("mysql"):
        _create_mysql_database(ENV["DATABASE_URL"])
    import django

    django.setup()
    from datetime import date

    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from kaohe.actions.economy import do_import_economy as import_economy
    from kaohe.actions.ledger import do_import_ledger as import_ledger
    from kaohe.actions.rounds import do_collect_round, do_decide_round, do_open_round, do_publish_round
    from kaohe.actions.schemes import do_load_scheme as load_scheme
    from kaohe.actions.transitions import do_transition
    from kaohe.actions.units import do_import_units as import_units
    from kaohe.management.demo import _csv
    from kaohe.models import Membership, Round, Section, Unit
    from kaohe.scoring import AsOf

    call_command("migrate", verbosity=0)
    scheme = load_scheme("town", 2026)
    users = get_user_model().objects
    round_ = Round.objects.filter(scheme=scheme, state="published").first()
    if round_ is None:
        print(f"building a published round of {towns} towns …", flush=True)
        rnd = random.Random(3)
        names = [f"镇{n:02d}" for n in range(towns)]
        import_units(_csv([["name", "group"]] + [[n, "town"] for n in names]), "towns.csv")
        import_economy(_csv([["unit", "indicator", "target", "actual"]] + [
            [n, c, "1000", str(rnd.randrange(900, 1200))] for n in names
            for c in ("output", "revenue", "value_added", "profit", "investment")]), "e.csv", scheme, AsOf(2026, 12))
        rules = ["8.1.a", "8.2.a", "3.1.b", "10.3.b", "1.3.b", "9.6.a", "6.1.a"]
        import_ledger(_csv([["unit", "rule", "quantity", "points", "date", "note"]] + [
            [n, rnd.choice(rules), "1", "", f"2026-{rnd.randrange(1, 13):02d}-10", f"记录{i}"]  # each row its own
            for n in names for i in range(100)]), "l.csv", scheme)
        admin = users.filter(username="bench-admin").first() or users.create_user("bench-admin", is_superuser=True)
        staff = users.create_user("bench-staff")
        head = users.create_user("bench-head")
        collector = users.create_user("bench-collector")
        members = [users.create_user(f"bench-m{i}") for i in range(2)]
        town = users.create_user("bench-town")
        for section in Section.objects.all():
            Membership.objects.create(user=staff, role="staff", section=section)
            Membership.objects.create(user=head, role="head", section=section)
        Membership.objects.create(user=collector, role="collector")
        for m in members:
            Membership.objects.create(user=m, role="meeting")
        Membership.objects.create(user=town, role="unit", unit=Unit.objects.get(name=names[0]))
        round_ = do_open_round(scheme, name="基准测试轮次", acting_user=admin)
        for sheet in round_.sheets.all():
            do_transition(sheet, "submit", acting_user=users.get(pk=staff.pk))
            do_transition(sheet, "sign", acting_user=users.get(pk=head.pk))
        do_collect_round(round_, acting_user=users.get(pk=collector.pk))
        for m in members:
            do_decide_round(round_, resolution="同意", meeting_date=date(2027, 1, 5), acting_user=users.get(pk=m.pk))
        do_publish_round(round_, acting_user=users.get(pk=collector.pk))

    def session(username: str) -> str:
        user = users.get(username=username)
        store = SessionStore()
        store["_auth_user_id"] = str(user.pk)
        store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        store["_auth_user_hash"] = user.get_session_auth_hash()
        store.create()
        return store.session_key

    town_unit = Membership.objects.get(user__username="bench-town").unit
    return {
        "ranking": (f"/rounds/{round_.pk}/ranking/", session("bench-collector")),
        "grid": (f"/rounds/{round_.pk}/sections/caitong/", session("bench-staff")),
        "result": (f"/rounds/{round_.pk}/units/{town_unit.pk}/", session("bench-town")),
    }


def serve(log=None) -> subprocess.Popen:
    """gunicorn on 127.0.0.1:PORT; its log (the app's JSON lines) goes to ``log``, a file, if given."""
    env = {**os.environ, **ENV}
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "--workers", WORKERS, "--threads", THREADS,
         "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning"], cwd=ROOT, env=env, stderr=log)
    for _ in range(100):
        try:
            http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/login/")
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start")


def hit(pages: dict, requests: int, times: dict, errors: list, deadline: float, think: float) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    order = [name for name in pages for _ in range(requests)]
    random.shuffle(order)
    rnd = random.Random()
    for name in order:
        if time.monotonic() > deadline:
            break
        if think:
            time.sleep(rnd.uniform(0.5 * think, 1.5 * think))  # a person reads the page before the next click
        path, key = pages[name]
        start = time.perf_counter()
        conn.request("GET", path, headers={"Cookie": f"sessionid={key}", "X-Forwarded-Proto": "https"})
        response = conn.getresponse()
        response.read()
        elapsed = time.perf_counter() - start
        if response.status != 200:
            errors.append((name, response.status))
        times[name].append(elapsed)
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20, help="per user and page")
    parser.add_argument("--towns", type=int, default=40)
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean seconds a user waits between pages (0: no pause, the server saturated)")
    args = parser.parse_args()
    pages = build(args.towns)
    server = serve()
    try:
        for path, key in pages.values():  # warm each worker's connections and the cache
            for _ in range(8):
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
                conn.request("GET", path, headers={"Cookie": f"sessionid={key}", "X-Forwarded-Proto": "https"})
                conn.getresponse().read()
        times = {name: [] for name in pages}
        errors: list = []
        deadline = time.monotonic() + 300
        threads = [threading.Thread(target=hit, args=(pages, args.requests, times, errors, deadline, args.think))
                   for _ in range(args.users)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=10)
    total = sum(len(v) for v in times.values())
    print(f"{args.users} concurrent users, {total} requests in {wall:.1f} s ({total / wall:.0f} req/s), "
          f"think time {args.think:g} s, gunicorn {WORKERS} workers × {THREADS} threads, "
          f"{ENV['DATABASE_URL'].split('@')[-1]}, "
          "Redis cache")
    for name, values in times.items():
        values.sort()
        p95 = values[int(len(values) * 0.95) - 1] if values else float("nan")
        print(f"{name:8s} n={len(values):5d}  p50 {statistics.median(values) * 1000:7.1f} ms  "
              f"p95 {p95 * 1000:7.1f} ms")
    print("target: ranking p95 ≤ 100 ms")
    if errors:
        print(f"errors: {len(errors)} (first: {errors[:3]})")


if __name__ == "__main__":
    main()
