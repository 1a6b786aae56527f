"""The ranking's what-if for a 40-unit round, against plain scoring of the same facts, in one run.

Builds a fresh database of its own (40 towns, ``--rows`` ledger rows across the entered rule kinds, every
economic figure; bench/score.py's ``build``) and opens a round. Then a meeting's scenario (rows left out, two
quantities changed, an economic figure and a sheet amount changed) is answered ``--runs`` times and the median and
p95 milliseconds printed for: the engine alone on the loaded facts, the service (reading the form and scoring) with
the facts cached, the whole POST the panel's script sends (Django test client, the comparison table rendered) with
the facts cached, and the same POST cold (cache emptied first: the facts are loaded from the database). The
baseline, measured in the same run: plain scoring of the same facts (``score_scheme``, no explanation lines).
Usage: .venv/bin/python bench/whatif.py [--units 40] [--rows 2000] [--runs 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from _setup import OUT, django_on_bench_db, summary


def fresh_database() -> None:
    if not os.environ.get("DATABASE_URL"):
        for suffix in ("", "-wal", "-shm", "-journal"):
            path = OUT / f"whatif.sqlite3{suffix}"
            if path.exists():
                path.unlink()
    django_on_bench_db("whatif")


def timings(runs: int, fn) -> list[float]:
    fn()  # once to warm imports and caches the measured path relies on
    found = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        found.append(time.perf_counter() - start)
    return found


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def show(label: str, values: list[float]) -> None:
    print(f"{label:<58} median {statistics.median(values) * 1000:8.2f} ms   p95 {p95(values) * 1000:8.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=40)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    fresh_database()
    from score import build

    build(args.units, args.rows)

    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from kaohe.actions.rounds import do_open_round
    from kaohe.models import LedgerEntry, Membership, Scheme
    from kaohe.scoring import score_scheme
    from kaohe.scoring.batch import collector_paused
    from kaohe.services.whatif import read_scenario, round_facts, run_what_if

    setup_test_environment()
    scheme = Scheme.objects.get(code="town-2026")
    users = get_user_model().objects
    admin = users.create_user("bench-admin", password="bench-pass-4821", is_staff=True)
    Membership.objects.create(user=admin, role="admin")
    meeting = users.create_user("bench-meeting", password="bench-pass-4821")
    Membership.objects.create(user=meeting, role="meeting")
    round_ = do_open_round(scheme, acting_user=admin)

    # The scenario: three rows left out, two quantities changed, one figure and one amount changed.
    entries = list(LedgerEntry.objects.filter(scheme=scheme, rule__kind="per_occurrence")
                   .order_by("id").values_list("id", "unit__name")[:5])
    unit = entries[0][1]
    form = {"round": str(round_.pk), "exclude": [str(pk) for pk, _u in entries[:3]],
            f"quantity-{entries[3][0]}": "2", f"quantity-{entries[4][0]}": "0",
            f"actual:{unit}:output": "950", "amount:" + unit + ":7.a": "-2"}
    found = round_facts(round_)
    facts = found.facts
    scenario = read_scenario(round_, {k: v if isinstance(v, list) else [v] for k, v in form.items()}, found)
    rows = sum(len(t.rows) for t in facts.tallies)
    print(f"{len(facts.units)} units, {rows:,} ledger rows loaded, {len(facts.figures)} economic figures; "
          f"scenario: {len(scenario.rows)} rows, {len(scenario.figures)} figure, {len(scenario.amounts)} amount")

    def plain():
        with collector_paused():
            return score_scheme(facts.spec, facts.units, facts.tallies, facts.figures, facts.as_of, with_lines=False)

    def engine():
        with collector_paused():
            return run_what_if(round_, scenario, found)

    def service():
        cached = round_facts(round_)
        return run_what_if(round_, read_scenario(round_, {k: v if isinstance(v, list) else [v]
                                                           for k, v in form.items()}, cached), cached)

    client = Client()
    client.force_login(meeting)
    url = reverse("kaohe:report_whatif")

    def post():
        answer = client.post(url, form, HTTP_X_REQUESTED_WITH="fetch")
        assert answer.status_code == 200 and b'id="whatif-table"' in answer.content, answer.status_code

    def post_cold():
        cache.clear()
        post()

    def ranking_page():
        answer = client.get(f"{reverse('kaohe:report', args=['ranking'])}?round={round_.pk}")
        assert answer.status_code == 200 and b'id="whatif-form"' in answer.content

    def unit_editor():
        answer = client.get(reverse("kaohe:report_whatif_unit"), {"round": round_.pk, "unit": unit})
        assert answer.status_code == 200 and b"whatif-exclude-" in answer.content

    baseline = timings(args.runs, plain)
    measured = {
        "what-if, engine alone (facts loaded)": timings(args.runs, engine),
        "what-if, form read + engine (facts cached)": timings(args.runs, service),
        "what-if POST, table rendered (facts cached)": timings(args.runs, post),
        "what-if POST, cold (facts loaded from the database)": timings(max(10, args.runs // 10), post_cold),
        "ranking report page with the panel (cached)": timings(max(10, args.runs // 10), ranking_page),
        "one unit's rows opened in the panel (cached)": timings(max(10, args.runs // 10), unit_editor),
    }
    show("baseline: plain scoring of the same facts", baseline)
    for label, values in measured.items():
        show(label, values)
    base = statistics.median(baseline)
    for label, values in measured.items():
        print(f"ratio {label}: {statistics.median(values) / base:.1f} × the baseline")
    warm = measured["what-if POST, table rendered (facts cached)"]
    cold = measured["what-if POST, cold (facts loaded from the database)"]
    print(f"target ≤ 300 ms for {len(facts.units)} units: warm POST p95 {p95(warm) * 1000:.1f} ms, "
          f"cold POST p95 {p95(cold) * 1000:.1f} ms")
    summary("whatif", f"what-if POST, {len(facts.units)} units, p95", p95(warm), "plain scoring, same facts", base,
            "≤ 300 ms")


if __name__ == "__main__":
    main()
