"""What came of one report: the receipt link's page.

Found by the hash of the link's token only; it tells about that one report:
when it was received, where it is in the follow-up (käsittelemättä → käsitelty
työryhmässä → välitetty eteenpäin → toimenpide, the follow-up statuses' code
list), where it was taken and when (the coordinator's follow-up notes and the
dates the follow-up loads changed them), and the published phenomena it became
part of. Never a draft, never another report, never the texts of others."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from queries import reporting as q

from ..analysis.workspace import Submission, Workspace
from ..core.filters import parse_date
from ..core.formatting import fmt_date, fmt_date_range
from ..core.i18n import render, t
from ..core.vocabulary import Vocabulary
from .form import Entry
from .intake import report_id_for

# A follow-up status and the note that says where the report went at that step.
STEP_NOTES = {"handled": "handled_in", "forwarded": "forwarded_to", "action": "followup_action"}
SUMMARY_LENGTH = 80  # characters of the observation shown to recognise the report


@dataclass(frozen=True)
class Step:
    code: str
    label: str
    reached: bool
    current: bool
    when: dt.date | None = None
    note: str | None = None  # where the report went at this step (the coordinator's note)
    note_label: str = ""


@dataclass(frozen=True)
class Phenomenon:
    kind: str  # its kind's name in the language
    title: str
    body: str
    period: str  # '1.9.–31.12.2024'
    published: dt.date


@dataclass
class Receipt:
    received_at: dt.datetime
    county: str
    report_id: str
    in_database: bool
    rejected: list[str]  # why the import's checks refused it at intake (a code list changed meanwhile)
    status: str
    status_label: str
    steps: list[Step]
    facts: list[tuple[str, str]]  # (label, value): date, unit, type, target groups, areas
    beginning: str  # the observation's first words
    phenomena: list[Phenomenon] = field(default_factory=list)


def received_at(submission: Submission) -> dt.datetime:
    """When the submission was received, in local time."""
    return dt.datetime.fromisoformat(submission.received_at).astimezone()


def _beginning(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= SUMMARY_LENGTH:
        return text
    cut = text[:SUMMARY_LENGTH].rsplit(" ", 1)[0]
    return cut + " …"


def build(con, store: Workspace, submission: Submission, vocab: Vocabulary, lang: str) -> Receipt:
    report_id = report_id_for(submission)
    state = q.report_state(con, submission.county, report_id)
    entry = Entry.from_row(submission.payload.get("row") or {})
    statuses = [(code, vocab.label("followup_status", code, lang)) for code in q.followup_statuses(con)]
    rejected: list[str] = []
    if state is None and submission.state == "rejected":
        rejected = [str(render(r, lang)) for r in store.submission_reasons(submission.submission_id) or []]
    current = state.followup_status if state is not None else (statuses[0][0] if statuses else "new")
    order = [code for code, _ in statuses]
    position = order.index(current) if current in order else 0
    events = q.followup_events(con, state.report_key) if state is not None else []
    first_reached: dict[str, dt.date] = {}
    for event in events:
        if event.followup_status in order:
            reached = order.index(event.followup_status)
            for code in order[1 : reached + 1]:
                first_reached.setdefault(code, event.changed_at.date())
    steps = []
    for i, (code, label) in enumerate(statuses):
        note = getattr(state, STEP_NOTES[code]) if state is not None and code in STEP_NOTES else None
        when = received_at(submission).date() if i == 0 else first_reached.get(code)
        note_label = t(f"report.receipt.note.{code}", lang) if code in STEP_NOTES else ""
        steps.append(Step(code, label, i <= position, i == position, when if i <= position else None, note, note_label))
    facts = [
        (t("report.field.pvm", lang), fmt_date(state.submitted_on if state else parse_date(entry.pvm), lang)),
        (
            t("report.field.palvelutehtava", lang),
            vocab.label("service_unit", state.service_unit if state else entry.palvelutehtava, lang),
        ),
        (
            t("report.field.havainnon_tyyppi", lang),
            vocab.label("observation_type", state.observation_type if state else entry.havainnon_tyyppi, lang),
        ),
        (
            t("report.field.kohderyhma", lang),
            ", ".join(
                vocab.label("target_group", c, lang) for c in (state.target_groups if state else entry.kohderyhma)
            ),
        ),
        (
            t("report.field.alue", lang),
            ", ".join(_area(vocab, c, submission.county, lang) for c in (state.areas if state else entry.alue)),
        ),
    ]
    phenomena = []
    if state is not None:
        for item in q.supported_phenomena(con, state.report_key):
            phenomena.append(
                Phenomenon(
                    t(f"report.kind.{item.kind}", lang),
                    item.title,
                    item.body,
                    fmt_date_range(item.period_from, item.period_to, lang),
                    item.published_at.date(),
                )
            )
    return Receipt(
        received_at=received_at(submission),
        county=vocab.label("county", submission.county, lang),
        report_id=report_id,
        in_database=state is not None,
        rejected=rejected,
        status=current,
        status_label=dict(statuses).get(current, current),
        steps=steps,
        facts=facts,
        beginning=_beginning(entry.havainto),
        phenomena=phenomena,
    )


def _area(vocab: Vocabulary, code: str, county: str, lang: str) -> str:
    if code == county:
        return t("report.area.whole", lang)
    return vocab.label("area", code, lang)
