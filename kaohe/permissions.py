"""Every permission in one place, as ``can_<verb>(user, obj)`` predicates over role memberships.

Views, actions and the API ask these; none of them decides on its own. ``user`` is ``None`` for the
command line: whoever runs ``manage.py`` on the server already holds the database, so the commands
are trusted as an administrator (locks on signed content still apply to them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .doctype.people import Role
from .models import Delegation, Membership, State
from .refusals import NotAllowed, Refused
from .workflow.states import RoundState


@dataclass(frozen=True)
class Roles:
    admin: bool
    collector: bool
    meeting: bool
    observer: bool
    staff_sections: frozenset[int]
    head_sections: frozenset[int]  # including sections signed for by delegation today
    delegated_from: dict  # section id → the head who delegated, for today
    units: frozenset[int]

    @property
    def bureau(self) -> bool:
        """Anyone working in the bureau (not an assessed unit)."""
        return (self.admin or self.collector or self.meeting or self.observer
                or bool(self.staff_sections) or bool(self.head_sections))


def roles(user, today: date | None = None) -> Roles:
    """The user's roles, computed once per request (cached on the user object)."""
    cached = getattr(user, "_kaohe_roles", None)
    if cached is not None and today is None:
        return cached
    if user is None:
        found = COMMAND_LINE
    elif not user.is_authenticated:
        found = Roles(False, False, False, False, frozenset(), frozenset(), {}, frozenset())
    else:
        rows = list(Membership.objects.filter(user=user).values_list("role", "section_id", "unit_id"))
        kinds = {r for r, _s, _u in rows}
        today = today or timezone.localdate()
        # A user tied to an assessed unit never signs for a section, whatever a delegation says.
        delegated = {} if Role.UNIT in kinds else {
            section: head
            for section, head in Delegation.objects.filter(delegate=user, starts__lte=today, ends__gte=today)
            .values_list("section_id", "head_id")
        }
        found = Roles(
            admin=user.is_superuser or Role.ADMIN in kinds,
            collector=Role.COLLECTOR in kinds,
            meeting=Role.MEETING in kinds,
            observer=Role.OBSERVER in kinds,
            staff_sections=frozenset(s for r, s, _u in rows if r == Role.STAFF),
            head_sections=frozenset({s for r, s, _u in rows if r == Role.HEAD} | set(delegated)),
            delegated_from=delegated,
            units=frozenset(u for r, _s, u in rows if r == Role.UNIT),
        )
    if user is not None:
        user._kaohe_roles = found
    return found


COMMAND_LINE = Roles(True, False, False, False, frozenset(), frozenset(), {}, frozenset())



def holds(user, role: str, *, section_id: int | None = None, unit_id: int | None = None) -> bool:
    """Whether ``user`` holds ``role`` for the given section or unit (or at all, for global roles)."""
    r = roles(user)
    return {
        Role.ADMIN: r.admin,
        Role.COLLECTOR: r.collector,
        Role.MEETING: r.meeting,
        Role.OBSERVER: r.observer,
        Role.STAFF: section_id in r.staff_sections,
        Role.HEAD: section_id in r.head_sections,
        Role.UNIT: unit_id in r.units,
    }.get(role, False)


# ------------------------------------------------------------------ pages and what they list

def is_unit_only(user) -> bool:
    """A login of an assessed unit and nothing else: its home is its own results."""
    r = roles(user)
    return bool(r.units) and not r.bureau


def works_in_bureau(user) -> bool:
    """The bureau's pages (rounds, schemes, ledger, signatures of rounds): anyone with a bureau role."""
    return roles(user).bureau


def sections_seen(user) -> frozenset[int] | None:
    """The sections whose sheets, rules and ledger rows the user sees; None: every section."""
    r = roles(user)
    if r.admin or r.collector or r.meeting:
        return None
    return r.staff_sections | r.head_sections


def sections_recorded(user) -> frozenset[int] | None:
    """The sections whose rules the user may record ledger rows under; None: every section."""
    r = roles(user)
    return None if r.admin else r.staff_sections


def can_record_anything(user) -> bool:
    r = roles(user)
    return r.admin or bool(r.staff_sections)


def is_section_staff(user, section_id: int) -> bool:
    return section_id in roles(user).staff_sections


def section_roles(user, section) -> dict[str, bool]:
    """What the user is for this section's grid: its staff (enters), its head (signs)."""
    r = roles(user)
    return {"is_staff": section.pk in r.staff_sections, "is_head": section.pk in r.head_sections}


def inbox_scope(user) -> dict:
    """Where the next step is this user's: sections to fill, sections to sign, round states to act on."""
    r = roles(user)
    states = []
    if r.collector:
        states += [RoundState.OPEN, RoundState.DECIDED, RoundState.PUBLISHED]
    if r.meeting:
        states += [RoundState.COLLECTED]
    return {"fill": r.staff_sections, "sign": r.head_sections, "round_states": states,
            "all_objections": r.collector, "own_sections": r.head_sections - set(r.delegated_from)}


def can_verify_signature(user, signature) -> bool:
    """Whether the signature still holds. A round's signature is checked by the bureau, and by a unit of a
    published round (the QR code on its printed scorecard), which learns the verdict, not others' scores."""
    if signature.sheet_id:
        return can_view_sheet(user, signature.sheet)
    round_ = signature.round
    return roles(user).bureau or (bool(round_.published) and bool(
        roles(user).units & set(round_.sheets.values_list("unit_id", flat=True))))


def can_read_signed_content(user, signature) -> bool:
    """What a signature covers: a sheet's items for who may see the sheet; a round's totals and ranks for
    who may see its ranking."""
    if signature.sheet_id:
        return can_view_sheet(user, signature.sheet)
    return roles(user).bureau and can_view_ranking(user, signature.round)


# ------------------------------------------------------------------ rounds and sheets

def can_open_round(user) -> bool:
    return roles(user).admin


def can_view_round(user, round_) -> bool:
    r = roles(user)
    return r.bureau or bool(r.units and round_.published)


def can_view_live_scores(user) -> bool:
    """A scheme's live scores and ranking, before any publication: those who collect and decide them."""
    r = roles(user)
    return r.admin or r.collector or r.meeting


def can_view_progress(user, round_) -> bool:
    return roles(user).bureau


def can_view_section(user, round_, section) -> bool:
    r = roles(user)
    return r.admin or r.collector or r.meeting or section.pk in r.staff_sections | r.head_sections


def can_view_sheet(user, sheet) -> bool:
    return can_view_section(user, sheet.round, sheet.section)


def can_edit_sheet(user, sheet, state=None) -> bool:
    """Enter amounts and ledger rows: staff of the section, while the sheet's content is editable.

    ``state``: the sheet's workflow state when the caller already holds it (a grid of many sheets).
    """
    if sheet.section_id not in roles(user).staff_sections:
        return False
    if state is None:
        state = State.objects.get(workflow__target="sheet", code=sheet.state)
    return state.editable


# ------------------------------------------------------------------ who sees what once a round is published
#
# Before publication only the administrator, the collector and the meeting see a round's ranking and results
# (they are approving them). Afterwards each kind of user sees what this table gives it, whichever of its
# roles gives most. A scheme may let the observer see every unit's detail too (``Scheme.observer_sees``).

RANKING = "ranking"  # the published ranking
OWN_DETAIL = "own_detail"  # the detailed result of the unit(s) the user speaks for, with the rows behind it
ALL_DETAILS = "all_details"  # every unit's detailed result

AFTER_PUBLICATION: dict[str, frozenset[str]] = {
    "approver": frozenset({RANKING, ALL_DETAILS}),  # administrator, collector, meeting
    "section": frozenset({RANKING, ALL_DETAILS}),  # section staff and heads
    "unit": frozenset({OWN_DETAIL}),  # an assessed unit (a town, a person, a department)
    "observer": frozenset({RANKING}),
}
OBSERVER_SEES = {"ranking": frozenset({RANKING}), "details": frozenset({RANKING, ALL_DETAILS})}


def user_kinds(user) -> set[str]:
    """The rows of AFTER_PUBLICATION that apply to this user."""
    r = roles(user)
    kinds = set()
    if r.admin or r.collector or r.meeting:
        kinds.add("approver")
    if r.staff_sections or r.head_sections:
        kinds.add("section")
    if r.units:
        kinds.add("unit")
    if r.observer:
        kinds.add("observer")
    return kinds


def published_sight(user, scheme) -> frozenset[str]:
    """What ``user`` sees of a published round of ``scheme``."""
    sight: set[str] = set()
    for kind in user_kinds(user):
        sight |= OBSERVER_SEES.get(scheme.observer_sees, AFTER_PUBLICATION[kind]) if kind == "observer" \
            else AFTER_PUBLICATION[kind]
    return frozenset(sight)


def _approver(user) -> bool:
    r = roles(user)
    return r.admin or r.collector or r.meeting


def can_view_ranking(user, round_) -> bool:
    if _approver(user):
        return True
    return bool(round_.published) and RANKING in published_sight(user, round_.scheme)


# Who may run each report: the ranking-wide ones follow the ranking; the working lists follow the round board.
REPORTS_LIKE_RANKING = frozenset({"ranking", "deduction_causes", "appraisal_grades", "matrix", "year_over_year",
                                  "at_risk"})
REPORTS_LIKE_BOARD = frozenset({"ledger_detail", "progress", "consistency"})


def can_run_report(user, code: str, round_) -> bool:
    """Reports over every unit's result are read like the ranking; the ledger and sheet lists like the round
    board (and then only the sections the user sees)."""
    if code in REPORTS_LIKE_RANKING:
        return can_view_ranking(user, round_)
    if code in REPORTS_LIKE_BOARD:
        return can_view_progress(user, round_)
    return False


def can_see_raters(user) -> bool:
    """Who gave which rating, by name, in a report: the administrator only (the command line counts as one);
    everyone else reads an anonymous label, as rating progress shows counts and never who rated what."""
    return roles(user).admin


def can_run_what_if(user, round_) -> bool:
    """The ranking's what-if (nothing is saved): those who collect and decide the ranking, published or not."""
    return _approver(user)


def can_view_unit_result(user, round_, unit) -> bool:
    if _approver(user):
        return True
    if not round_.published:
        return False
    sight = published_sight(user, round_.scheme)
    return ALL_DETAILS in sight or (OWN_DETAIL in sight and unit.pk in roles(user).units)


def can_view_unit_ledger(user, scheme) -> frozenset[int]:
    """The assessed units whose ledger rows of ``scheme`` this user reads as a unit (read-only): its own,
    once a round of the scheme it takes part in is published."""
    r = roles(user)
    if not r.units or OWN_DETAIL not in published_sight(user, scheme):
        return frozenset()
    return frozenset(scheme.rounds.filter(published_at__isnull=False, sheets__unit_id__in=r.units)
                     .values_list("sheets__unit_id", flat=True).distinct()) & r.units


def can_write_plan(user, round_) -> bool:
    """Improvement plans: the collecting section, or a head of a section that scores this scheme."""
    r = roles(user)
    if r.admin or r.collector:
        return True
    sections = set(round_.scheme.indicators.exclude(section=None).values_list("section_id", flat=True))
    return bool(sections & r.head_sections)


def can_write_findings(user, round_) -> bool:
    """The evaluation panel's findings in a project's report: the staff and heads of a section that scores the
    scheme, the collecting section, the administrator."""
    r = roles(user)
    if r.admin or r.collector:
        return True
    sections = set(round_.scheme.indicators.exclude(section=None).values_list("section_id", flat=True))
    return bool(sections & (r.staff_sections | r.head_sections))


def can_record_site_review(user, scheme) -> bool:
    """On-site reviews go in the ledger of the section that scores the scheme (or the administrator's)."""
    r = roles(user)
    if r.admin:
        return True
    sections = set(scheme.indicators.exclude(section=None).values_list("section_id", flat=True))
    return bool(sections & r.staff_sections)


def rater_keys(user) -> set[str]:
    """What a rating names its rater by, for this user: the login and the people it speaks for."""
    return {user.username, *user.memberships.filter(role="unit").values_list("unit__name", flat=True)}


def can_rate(user, assignment) -> bool:
    """Ratings in the Desk: only the assigned rater writes (and reads) an assignment and its draft."""
    return user is not None and assignment.rater_id == user.pk


def can_view_rating_progress(user, round_) -> bool:
    """How far each rater group has got (counts only, never who rated what): the administrator, the collector."""
    r = roles(user)
    return r.admin or r.collector


def can_report_progress(user, rule) -> bool:
    """A task's monthly progress: the person who owns it."""
    owner = rule.indicator.owner_id if rule.indicator_id else None
    return owner is not None and owner in roles(user).units


def can_review_progress(user, report) -> bool:
    """The direct superior reviews: whoever speaks for the owner of the task's parent node (never the owner)."""
    indicator = report.rule.indicator
    parent = indicator.parent if indicator is not None else None
    if parent is None or parent.owner_id is None or parent.owner_id == indicator.owner_id:
        return False
    return parent.owner_id in roles(user).units


def can_file_objection(user, round_, unit) -> bool:
    return is_unit_of(user, unit) and round_.published and round_.state == RoundState.PUBLISHED


def is_unit_of(user, unit) -> bool:
    """The user speaks for this assessed unit."""
    return unit.pk in roles(user).units


def can_answer_objection(user, objection) -> bool:
    r = roles(user)
    return objection.sheet.section_id in r.head_sections or r.collector


def can_view_objection(user, objection) -> bool:
    """An objection and its evidence: the town that filed it, the section, the collector and the meeting."""
    r = roles(user)
    section = objection.sheet.section_id
    return (objection.sheet.unit_id in r.units or section in r.staff_sections | r.head_sections
            or r.collector or r.meeting)


def objections_seen(user) -> tuple[frozenset[int], frozenset[int]] | None:
    """The objections a list shows (as ``can_view_objection``): None for every one, else (units, sections)."""
    r = roles(user)
    if r.collector or r.meeting:
        return None
    return r.units, r.staff_sections | r.head_sections


def sees_proposal(user, round_) -> bool:
    """Whether a page shows this user the live result under approval rather than the latest published version.

    Once a round is published everyone sees the published version, except the collector, the meeting and
    the administrator while a changed result is before them (collected or decided again).
    """
    r = roles(user)
    if not round_.published:
        return True
    return (r.admin or r.collector or r.meeting) and round_.state in {RoundState.COLLECTED, RoundState.DECIDED}


# ------------------------------------------------------------------ delegation

def delegation_refusal(user, section, delegate, starts: date | None, ends: date | None) -> Refused | None:
    """Why ``user`` may not let ``delegate`` sign for ``section`` from ``starts`` to ``ends`` (None: they may).

    Only the section's own head delegates, only to bureau staff who hold a role for that section, never
    to a user tied to an assessed unit, never to oneself, and always for a dated period.
    """
    r = roles(user)
    if section.pk not in r.head_sections or section.pk in r.delegated_from:
        return NotAllowed("not_section_head", _("Only the section's own head delegates its signing."))
    if delegate.pk == user.pk:
        return Refused("self_delegation", _("Delegate to someone else."))
    kinds = set(Membership.objects.filter(user=delegate).values_list("role", "section_id"))
    if any(role == Role.UNIT for role, _s in kinds):
        return Refused("delegate_is_unit", _("%(who)s belongs to an assessed unit and may never sign for a "
                                             "section."), who=delegate.get_username())
    if not any(role in {Role.STAFF, Role.HEAD} and s == section.pk for role, s in kinds):
        return Refused("delegate_not_in_section", _("%(who)s holds no role in %(section)s; delegate to its staff "
                                                    "or another of its heads."),
                       who=delegate.get_username(), section=section.name)
    if starts is None or ends is None:
        return Refused("dates_required", _("Give the first and the last day of the delegation."))
    if ends < starts:
        return Refused("bad_dates", _("The end is before the start."))
    return None


# ------------------------------------------------------------------ ledger and evidence

def can_record(user, section_id: int | None) -> bool:
    r = roles(user)
    return r.admin or (section_id is not None and section_id in r.staff_sections)


def can_view_ledger_row(user, entry) -> bool:
    r = roles(user)
    section_id = entry.rule.indicator.section_id if entry.rule.indicator else None
    if r.admin or r.collector or r.meeting:
        return True
    if section_id is not None and section_id in r.staff_sections | r.head_sections:
        return True
    if entry.unit_id in r.units:
        return entry.unit_id in can_view_unit_ledger(user, entry.scheme)
    return False


def can_view_evidence(user, evidence) -> bool:
    return can_view_ledger_row(user, evidence.entry)


def can_edit_scheme(user) -> bool:
    return roles(user).admin


def can_restore_backup(user) -> bool:
    """A restore replaces everything: the administrator only (the command line counts as one)."""
    return user is None or roles(user).admin


def can_import(user) -> bool:
    """Whole files (units, economic figures, ratings, measurements, objectives): administrators, the collector."""
    r = roles(user)
    return r.admin or r.collector


# ------------------------------------------------------------------ API tokens

def can_manage_token(user, owner) -> bool:
    """A user creates and revokes their own API token; an administrator anyone's."""
    return user.is_authenticated and (user.pk == owner.pk or roles(user).admin)


# ------------------------------------------------------------------ printing

def can_edit_print_format(user) -> bool:
    return roles(user).admin


def can_print(user, round_, subject: str, *, unit=None, section=None) -> bool:
    """Print what one may read: a unit's result or form, a section's sheets, the ranking. A whole round's
    documents at once (every unit, every section) only for the administrator, the collector and the meeting."""
    if can_print_whole_round(user):
        return True
    if subject == "round_ranking":
        return can_view_ranking(user, round_)
    if subject == "section_sheet":
        return section is not None and can_view_section(user, round_, section)
    return unit is not None and can_view_unit_result(user, round_, unit)


def can_print_whole_round(user) -> bool:
    """Every unit's documents in one batch: the administrator, the collector and the meeting."""
    r = roles(user)
    return r.admin or r.collector or r.meeting


def can_follow_print_batch(user, batch) -> bool:
    """See a batch's progress, download it and retry it: whoever asked for it, and those who may ask."""
    return can_print_whole_round(user) or (user is not None and batch.requested_by_id == user.pk)


# ------------------------------------------------------------------ jobs and uploads

def can_recompute(user) -> bool:
    """Rebuild a scheme's stored totals and standings from the ledger: administrators, the collector."""
    r = roles(user)
    return r.admin or r.collector


def can_upload(user, kind: str) -> bool:
    """Import a file from the Desk: ledger rows as ``do_import_ledger`` allows them (section staff, for their
    own sections' rules; administrators), every other kind as ``can_import``."""
    return can_record_anything(user) if kind == "ledger" else can_import(user)


def can_follow_job(user, job) -> bool:
    """A job's progress and outcome: whoever asked for it, and administrators."""
    return user is not None and (job.requested_by_id == user.pk or roles(user).admin)


def can_use_upload(user, upload) -> bool:
    """An uploaded file is previewed and confirmed only by who uploaded it."""
    return user is not None and upload.uploaded_by_id == user.pk


def can_clear_uploads(user, owner=None) -> bool:
    """Remove abandoned uploaded files: one's own, anyone's for an administrator (and the command line)."""
    return roles(user).admin or (user is not None and owner is not None and user.pk == owner.pk)


# ------------------------------------------------------------------ surveys answered by the people served

def can_manage_surveys(user) -> bool:
    """Open a survey, invite respondents (tokens are printed once), import paper forms: the administrator and
    the collecting section."""
    r = roles(user)
    return r.admin or r.collector


def survey_units_seen(user, survey) -> frozenset[int] | None:
    """Which units' survey results the user sees: None for every unit (the bureau, but not the observer), the
    units they speak for once the round is published (aggregates and comments only), or none at all."""
    r = roles(user)
    if r.admin or r.collector or r.meeting or r.staff_sections or r.head_sections:
        return None
    # a unit reads what was said of it with its result: once the round is published, as its score
    return r.units if survey.round.published else frozenset()
