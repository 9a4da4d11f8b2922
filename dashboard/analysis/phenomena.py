"""Suggested groups of similar reports within a target group, each with a
representative sentence to start a phenomenon from.

The texts of one kind (observations of negative and neutral reports; the
observations of positive reports as good practices; proposals) are compared by
TF-IDF over lemmas (cosine similarity) and merged by average linkage while the
groups stay similar enough. The sentence of the group's texts nearest to the
group's centre is offered as the start of the phenomenon's title. The
coordinator decides: a suggestion is only a starting point.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from . import suggest

SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass(frozen=True)
class ReportText:
    report_id: str
    observation_type: str
    observation: str
    client_voice: str | None = None
    proposal: str | None = None
    target_groups: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()


@dataclass(frozen=True)
class GroupSuggestion:
    kind: str
    target_group: str
    report_ids: tuple[str, ...]
    sentence: str  # the representative sentence
    sentence_report: str  # the report it is from
    words: tuple[str, ...]  # the lemmas the group shares most
    themes: tuple[str, ...]  # the group's most common themes
    similarity: float  # mean pairwise similarity within the group


def texts_of(report: ReportText, kind: str) -> list[str]:
    """The texts a report brings to a phenomenon of this kind (none: it does not fit the kind)."""
    if kind == "proposal":
        return [report.proposal] if report.proposal else []
    if kind == "good_practice":
        return [report.observation] if report.observation_type == "positive" else []
    if kind in ("observation", "key_theme"):
        if report.observation_type == "positive":
            return []
        return [t for t in (report.observation, report.client_voice) if t]
    raise ValueError(kind)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE.split(text or "") if len(s.strip()) > 3]


def _average_linkage(sim: np.ndarray, threshold: float) -> list[list[int]]:
    """Clusters by average linkage, merging while the best pair's mean similarity ≥ threshold."""
    n = len(sim)
    clusters: dict[int, list[int]] = {i: [i] for i in range(n)}
    between = sim.astype(float).copy()
    np.fill_diagonal(between, -np.inf)
    alive = np.ones(n, dtype=bool)
    while alive.sum() > 1:
        masked = np.where(alive[:, None] & alive[None, :], between, -np.inf)
        a, b = (int(i) for i in np.unravel_index(int(np.argmax(masked)), masked.shape))
        if masked[a, b] < threshold:
            break
        na, nb = len(clusters[a]), len(clusters[b])
        merged = (na * between[a] + nb * between[b]) / (na + nb)
        between[a], between[:, a] = merged, merged
        between[a, a] = -np.inf
        alive[b] = False
        between[b], between[:, b] = -np.inf, -np.inf
        clusters[a] += clusters.pop(b)
    return [sorted(c) for c in clusters.values()]


def suggest_groups(
    reports: Iterable[ReportText],
    target_group: str,
    kind: str = "observation",
    threshold: float = 0.3,
    min_size: int = 2,
    exclude: Iterable[str] = (),
) -> list[GroupSuggestion]:
    """Groups of similar reports of ``target_group`` for a phenomenon of ``kind``,
    largest and tightest first. ``exclude``: reports already in a phenomenon."""
    skip = set(exclude)
    chosen = [(r, texts_of(r, kind)) for r in reports if target_group in r.target_groups and r.report_id not in skip]
    chosen = [(r, txt) for r, txt in chosen if txt]
    if len(chosen) < min_size:
        return []
    docs = [suggest.Document(r.report_id, suggest.analyse(txt)[0], frozenset({"x"})) for r, txt in chosen]
    model = suggest.Model.fit(docs)
    if model is None:
        return []
    sim = model.matrix @ model.matrix.T
    out: list[GroupSuggestion] = []
    names = {j: lemma for lemma, j in model.vocab.items()}
    for members in _average_linkage(sim, threshold):
        if len(members) < min_size:
            continue
        centre = model.matrix[members].mean(axis=0)
        best, best_score, best_report = "", -1.0, ""
        for i in members:
            for text in chosen[i][1]:
                for sentence in sentences(text):
                    score = float(model.vector(suggest.analyse([sentence])[0]) @ centre)
                    if score > best_score:
                        best, best_score, best_report = sentence, score, chosen[i][0].report_id
        pair = sim[np.ix_(members, members)]
        mean = float((pair.sum() - len(members)) / (len(members) * (len(members) - 1)))
        words = tuple(names[j] for j in np.argsort(-centre)[:5] if centre[j] > 0)
        themes = Counter(th for i in members for th in chosen[i][0].themes)
        out.append(
            GroupSuggestion(
                kind,
                target_group,
                tuple(chosen[i][0].report_id for i in members),
                best,
                best_report,
                words,
                tuple(th for th, _ in themes.most_common(3)),
                round(mean, 4),
            )
        )
    out.sort(key=lambda g: (-len(g.report_ids), -g.similarity, g.report_ids))
    return out


def report_texts(frame) -> list[ReportText]:
    """ReportText rows from :func:`queries.analysis.period_reports`."""

    def clean(v):
        return None if v is None or (isinstance(v, float) and v != v) else str(v)

    def listed(v) -> tuple[str, ...]:
        return () if v is None or (isinstance(v, float) and v != v) else tuple(str(x) for x in v)

    return [
        ReportText(
            r.report_id,
            r.observation_type,
            r.observation,
            clean(r.client_voice),
            clean(r.proposal),
            listed(r.target_groups),
            listed(r.themes),
        )
        for r in frame.itertuples(index=False)
    ]


def groups_for_period(frame, target_groups: Sequence[str], kinds=("observation", "good_practice", "proposal"), **kw):
    """Every target group's and kind's suggested groups of a period's reports."""
    texts = report_texts(frame)
    return {(g, k): suggest_groups(texts, g, k, **kw) for g in target_groups for k in kinds}
