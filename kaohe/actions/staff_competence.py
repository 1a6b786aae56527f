"""业务能力 of the service centres, imported from the employee appraisal: a file says who works where, the
appraisal gives each person's composite, and each centre's mean goes in as an ordinary measure, through the
measures import (its validation, locks and history)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from kaohe.imports.errors import ImportRejected, RowError
from kaohe.imports.outcome import ImportOutcome
from kaohe.imports.staff import validate_staff
from kaohe.models import Scheme
from kaohe.numbers import plain
from kaohe.services.staff_competence import composites, staff_mean

from .appraisal import do_import_measures
from .audit import audit
from .units import check_may_import

STAFF_RULE = "staff.appraisal"


def _csv(rows: list[list[str]]) -> bytes:
    return "\n".join(",".join(cell.replace(",", ";") for cell in row) for row in rows).encode("utf-8") + b"\n"


@transaction.atomic
def do_import_staff_competence(data: bytes, filename: str, scheme: Scheme, *, employee_scheme: Scheme,
                               acting_user=None) -> ImportOutcome:
    check_may_import(acting_user)
    rows = validate_staff(data, filename, scheme, employee_scheme)
    read = composites(employee_scheme)
    missing = [RowError(line, "person", person, "not_scored", _("has no composite score in %(scheme)s") % {
        "scheme": employee_scheme.code}) for line, _centre, person in rows if person not in read.scores]
    if missing:
        raise ImportRejected(missing)
    staff: dict[str, list[str]] = {}
    for _line, centre, person in rows:
        staff.setdefault(centre, []).append(person)
    where = read.round_name or _("%(scheme)s, not yet published") % {"scheme": employee_scheme.code}
    measures = [["unit", "indicator", "target", "actual", "date", "note"]]
    for centre, people in staff.items():
        mean = staff_mean([read.scores[p] for p in people], scheme.decimal_places)
        note = _("mean of %(count)s staff: %(where)s") % {"count": len(people), "where": where}
        measures.append([centre, STAFF_RULE, "100", plain(mean), f"{scheme.year}-12-31", note])
    outcome = do_import_measures(_csv(measures), filename, scheme, acting_user=acting_user)
    audit(acting_user, "staff_competence.import", scheme=scheme, target=scheme,
          after={"file": filename, "from": employee_scheme.code, "round": read.round_name,
                 "centres": {c: len(p) for c, p in staff.items()}})
    return outcome
