"""Print a format for a round to a PDF file: one unit, one section's sheets, or every document of the round."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kaohe.actions.printing import do_print
from kaohe.models import Round
from kaohe.printing.pdf import write_atomically
from kaohe.printing.render import current_format, current_formats
from kaohe.printing.sandbox import TemplateProblem
from kaohe.refusals import Refused


def find_round(text: str) -> Round:
    """A round by id or by its name; a name two rounds share is refused (give the id)."""
    if text.isdigit():
        found = Round.objects.filter(pk=int(text)).first()
        if found:
            return found
    named = list(Round.objects.filter(name=text)[:2])
    if len(named) == 1:
        return named[0]
    if named:
        raise CommandError(f"--round: several rounds are named {text!r}; give its id")
    raise CommandError(f"--round: no round {text!r} (known: "
                       f"{', '.join(f'{r.pk} {r.name}' for r in Round.objects.all()[:20]) or 'none'})")


class Command(BaseCommand):
    help = ("Print a format (scorecard, announcement, section_sheet, appraisal_form, …) of a round to a PDF. "
            "Without --unit/--section a per-unit format prints every unit, one document after another.")

    def add_arguments(self, parser):
        parser.add_argument("code", help="the print format's code")
        parser.add_argument("--round", required=True, help="the round's id or its unique name")
        parser.add_argument("--unit", help="one unit (by name)")
        parser.add_argument("--section", help="one section's sheets (by code)")
        parser.add_argument("--out", required=True, help="the PDF file to write")

    def handle(self, *args, code: str, round: str, unit: str | None, section: str | None, out: str, **options):
        fmt = current_format(code)
        if fmt is None:
            known = ", ".join(f.code for f in current_formats()) or "none"
            raise CommandError(f"no print format {code!r} (known: {known})")
        round_ = find_round(round)
        started = time.perf_counter()
        try:
            printed = do_print(fmt, round_, unit=unit, section=section, acting_user=None)
        except Refused as refused:
            raise CommandError(str(refused)) from None
        except TemplateProblem as problem:
            raise CommandError(f"{fmt.code} v{fmt.version}: {problem}") from None
        write_atomically(Path(out).resolve(), printed.pdf)
        drafts = sum(1 for _d, c in printed.stamped if c["doc"]["draft"])
        self.stdout.write(f"{out}: {len(printed.stamped)} document(s) of {fmt.code} v{fmt.version}"
                          f"{f', {drafts} draft(s)' if drafts else ''}, {len(printed.pdf):,} bytes, "
                          f"{time.perf_counter() - started:.1f} s")
        for document, context in printed.stamped:
            self.stdout.write(f"  {document.subject}: {context['doc']['code']}")
