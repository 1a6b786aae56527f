"""Run a report for a round and write it as CSV, XLSX, PDF or JSON (the same class the Desk page renders)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kaohe.printing.pdf import write_atomically
from kaohe.refusals import Refused
from kaohe.report.export import ENCODINGS, FORMATS, export
from kaohe.report.registry import REPORTS, get_report

from .print_pdf import find_round


def parse_pairs(pairs: list[str]) -> dict[str, str]:
    found = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise CommandError(f"--filter {pair!r}: write it as key=value")
        found[key.strip()] = value.strip()
    return found


class Command(BaseCommand):
    help = f"Run a report ({', '.join(REPORTS)}) for a round and write it to a file."

    def add_arguments(self, parser):
        parser.add_argument("code", help="the report's code")
        parser.add_argument("--round", required=True, help="the round's id or its unique name")
        parser.add_argument("--filter", action="append", default=[], metavar="KEY=VALUE",
                            help="group, section, unit, rule, date_from, date_to, as_of (1-12), "
                                 "compare (a round's id), as the report offers")
        parser.add_argument("--format", choices=FORMATS, default="csv")
        parser.add_argument("--encoding", default="utf-8",
                            help=f"CSV only: {' or '.join(ENCODINGS)} (UTF-8 with a BOM is the default)")
        parser.add_argument("--out", required=True, help="the file to write")

    def handle(self, *args, code, round, filter, format, encoding, out, **options):
        round_ = find_round(round)
        try:
            result = get_report(code).run(round_, parse_pairs(filter))
        except Refused as refused:
            raise CommandError(str(refused)) from None
        result.meta["round"] = round_.name
        try:
            data = export(result, format, encoding)
        except (LookupError, UnicodeEncodeError) as problem:
            raise CommandError(f"--encoding {encoding}: {problem}") from None
        write_atomically(Path(out).resolve(), data)
        self.stdout.write(f"{out}: {code}, {len(result.rows)} row(s), {result.summary}")
