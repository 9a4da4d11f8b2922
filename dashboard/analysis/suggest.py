"""Theme suggestions from a report's text, each with the words that made it.

Two sources, combined:

- the code list's own keywords (``themes.keywords``: fi/sv lemmas a county edits),
  matched against the lemmas of the report's texts (:mod:`dashboard.core.lemmas`,
  so ``kouluakäymättömyyteen`` meets ``kouluakäymättömyys`` and a compound's parts
  count: ``mielenterveyspalvelujen`` carries ``mielenterveys`` and ``palvelu``);
- what the county's confirmed classifications teach: TF-IDF over lemmas and the
  nearest confirmed reports (cosine similarity, k nearest), retrained whenever the
  confirmed labels change (it takes milliseconds for a county's few hundred reports).

Several themes per report; a suggestion says why: the keywords found (with the
word as written) and the similar reports with the words they share. Plain numpy.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..core import lemmas

# Function words and the most common verbs of report texts: no evidence of a theme.
STOP = frozenset(
    """ja tai sekä eikä että kun jos kuin mutta vaan myös vain jo nyt niin sitten kuitenkin
    olla ei se ne tämä nämä tuo joka mikä kuka mitä jotka joiden jonka hän he me te minä sinä itse
    oma muu kaikki moni osa usea yhä aina enää vielä siten siksi koska jotta eli ilman kanssa mukaan
    asiakas asiakkaat havainto raportti tilanne tulla saada voida pitää tehdä mennä antaa ottaa
    och att det som är en ett den de på för med av till om inte har kan ska var vid eller men
    the and of to in is for""".split()
)
MIN_SCORE = 0.12


@dataclass(frozen=True)
class Document:
    """A report as the model sees it: its id, lemmas and (for training) its labels."""

    report_id: str
    lemmas: tuple[str, ...]
    labels: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Suggestion:
    code: str
    score: float  # 0..1
    keywords: tuple[tuple[str, str], ...] = ()  # (keyword, the word in the text)
    similar: tuple[str, ...] = ()  # the nearest confirmed reports that carry the code
    shared: tuple[str, ...] = ()  # lemmas the text shares with them

    def why(self) -> list[str]:
        """The matched words, for the page ("asumistuen (asumistuki), häätöuhkina (häätö)")."""
        keywords: dict[str, list[str]] = {}  # the word in the text -> the keywords it carries
        for kw, word in self.keywords:
            keywords.setdefault(word, []).append(kw)
        out = [
            word if kws == [word] else f"{word} ({', '.join(k for k in kws if k != word)})"
            for word, kws in keywords.items()
        ]
        said = {kw for kw, _ in self.keywords} | set(keywords)
        # A compound's parts share one word of the text ("terveydenhuollossa"): said once.
        return out + [w for w in dict.fromkeys(self.shared) if w not in said]


def detect_language(text: str, default: str = "fi") -> str:
    """'fi' or 'sv': the dictionary that knows more of the text's words."""
    words = [w for w in lemmas.words(text) if len(w) > 2][:60]
    if not words:
        return default
    fi = sum(lemmas.is_known(w, "fi") for w in words)
    sv = sum(lemmas.is_known(w, "sv") for w in words)
    return "sv" if sv > fi else "fi" if fi > sv else default


def analyse(texts: Iterable[str | None], lang: str | None = None) -> tuple[tuple[str, ...], dict[str, str]]:
    """The content lemmas of a report's texts (compound parts included) and, for
    each lemma, the first word of the text it came from."""
    out: list[str] = []
    surface: dict[str, str] = {}
    for text in texts:
        if not isinstance(text, str) or not text:
            continue  # None, or a missing value read from a table (NaN)
        language = lang or detect_language(text)
        for m in lemmas.WORD.finditer(lemmas.normalise(text)):
            word = m.group()
            base = lemmas.lemma(word, language)
            for item in (base, *lemmas.compound_parts(base, language)):
                if len(item) < 3 or item in STOP:
                    continue
                out.append(item)
                surface.setdefault(item, word)
    return tuple(out), surface


def document(report_id: str, texts: Sequence[str | None], labels: Iterable[str] = (), lang: str | None = None):
    return Document(str(report_id), analyse(texts, lang)[0], frozenset(labels))


@dataclass
class Model:
    """TF-IDF vectors of the confirmed reports."""

    vocab: dict[str, int]
    idf: np.ndarray
    matrix: np.ndarray  # one L2-normalised row per document
    docs: list[Document]

    @classmethod
    def fit(cls, docs: Sequence[Document]) -> Model | None:
        docs = [d for d in docs if d.lemmas and d.labels]
        if not docs:
            return None
        vocab: dict[str, int] = {}
        for d in docs:
            for lemma in d.lemmas:
                vocab.setdefault(lemma, len(vocab))
        counts = _counts(docs, vocab)
        df = (counts > 0).sum(axis=0)
        idf = np.log((1 + len(docs)) / (1 + df)) + 1.0
        return cls(vocab, idf, _normalise(_tf(counts) * idf), docs)

    def vector(self, doc_lemmas: Sequence[str]) -> np.ndarray:
        row = np.zeros(len(self.vocab))
        for lemma, n in Counter(doc_lemmas).items():
            j = self.vocab.get(lemma)
            if j is not None:
                row[j] = n
        return _normalise(_tf(row[None, :]) * self.idf)[0]


def _counts(docs: Sequence[Document], vocab: dict[str, int]) -> np.ndarray:
    counts = np.zeros((len(docs), len(vocab)))
    for i, d in enumerate(docs):
        for lemma, n in Counter(d.lemmas).items():
            j = vocab.get(lemma)
            if j is not None:
                counts[i, j] = n
    return counts


def _tf(counts: np.ndarray) -> np.ndarray:
    return np.where(counts > 0, 1.0 + np.log(np.maximum(counts, 1.0)), 0.0)


def _normalise(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)


def keyword_index(keywords: Mapping[str, Iterable[str]]) -> dict[str, dict[str, str]]:
    """code -> {lemma to look for: the keyword as written in the code list}."""
    out: dict[str, dict[str, str]] = {}
    for code, words in keywords.items():
        index: dict[str, str] = {}
        for kw in words:
            kw = lemmas.normalise(kw).strip()
            if not kw:
                continue
            index.setdefault(kw, kw)
            # A keyword's lemma in the language that knows it: the Finnish guesser would turn the
            # Swedish "samarbete" into "sama" and match every "samaan" (a word the dictionaries do
            # not know, e.g. a long compound, gets both).
            known = [lang for lang in ("fi", "sv") if lemmas.is_known(kw, lang)] or ["fi", "sv"]
            for lang in known:
                index.setdefault(lemmas.lemma(kw, lang), kw)
        out[code] = index
    return out


def parse_keywords(cell: str | None) -> list[str]:
    return [k.strip() for k in (cell or "").split("|") if k.strip()]


@dataclass
class Suggester:
    """Suggestions for one classification (the county's themes or the support needs)."""

    keywords: dict[str, dict[str, str]]
    model: Model | None = None
    k: int = 7
    weights: tuple[float, float] = (0.5, 0.5)  # keywords, similar reports
    codes: tuple[str, ...] = field(default=())

    @classmethod
    def build(cls, keywords: Mapping[str, Iterable[str]], training: Sequence[Document] = (), k: int = 7) -> Suggester:
        return cls(keyword_index(keywords), Model.fit(training), k, codes=tuple(keywords))

    def suggest(
        self,
        texts: Sequence[str | None],
        top: int = 5,
        exclude: str | None = None,
        lang: str | None = None,
        min_score: float = MIN_SCORE,
    ) -> list[Suggestion]:
        doc_lemmas, surface = analyse(texts, lang)
        return self.suggest_lemmas(doc_lemmas, surface, top, exclude, min_score)

    def suggest_lemmas(
        self,
        doc_lemmas: Sequence[str],
        surface: dict[str, str] | None = None,
        top: int = 5,
        exclude: str | None = None,
        min_score: float = MIN_SCORE,
    ) -> list[Suggestion]:
        surface = surface or {}
        present = set(doc_lemmas)
        matched: dict[str, list[tuple[str, str]]] = {}
        for code, index in self.keywords.items():
            hits = {kw: surface.get(lemma, lemma) for lemma, kw in index.items() if lemma in present}
            if hits:
                matched[code] = sorted(hits.items())
        knn: dict[str, float] = {}
        near: dict[str, list[int]] = {}
        vector = None
        if self.model is not None:
            vector = self.model.vector(doc_lemmas)
            sims = self.model.matrix @ vector
            if exclude is not None:
                for i, d in enumerate(self.model.docs):
                    if d.report_id == exclude:
                        sims[i] = -1.0
            order = [i for i in np.argsort(-sims, kind="stable")[: self.k] if sims[i] > 0]
            total = float(sum(sims[i] for i in order))
            if total > 0:
                for i in order:
                    for code in self.model.docs[i].labels:
                        knn[code] = knn.get(code, 0.0) + float(sims[i]) / total
                        near.setdefault(code, []).append(i)
        w_kw, w_knn = self.weights if self.model is not None else (1.0, 0.0)
        out: list[Suggestion] = []
        for code in self.codes or tuple(self.keywords):
            kw_score = 1.0 - math.exp(-0.9 * len(matched.get(code, ())))
            score = w_kw * kw_score + w_knn * knn.get(code, 0.0)
            if score < min_score:
                continue
            similar = tuple(self.model.docs[i].report_id for i in near.get(code, [])[:3]) if self.model else ()
            shared: tuple[str, ...] = ()
            if self.model is not None and vector is not None and near.get(code):
                weight = vector * self.model.matrix[near[code][:3]].sum(axis=0)
                best = [j for j in np.argsort(-weight)[:5] if weight[j] > 0]
                names = {j: lemma for lemma, j in self.model.vocab.items()}
                shared = tuple(dict.fromkeys(surface.get(names[j], names[j]) for j in best))
            out.append(Suggestion(code, round(score, 4), tuple(matched.get(code, ())), similar, shared))
        out.sort(key=lambda s: (-s.score, (self.codes or tuple(self.keywords)).index(s.code)))
        return out[:top]


# ---- leave-one-out evaluation -------------------------------------------------------------------


@dataclass(frozen=True)
class Evaluation:
    n: int
    precision_at_3: float
    recall_at_3: float
    method: str


def evaluate_leave_one_out(
    docs: Sequence[Document], keywords: Mapping[str, Iterable[str]], method: str = "combined", k: int = 7
) -> Evaluation:
    """Precision and recall of the top 3 suggestions for each labelled document,
    the model trained on all the others (IDF too: nothing of the held-out text leaks)."""
    docs = [d for d in docs if d.lemmas and d.labels]
    index = keyword_index(keywords)
    codes = tuple(keywords)
    if not docs:
        return Evaluation(0, 0.0, 0.0, method)
    vocab: dict[str, int] = {}
    for d in docs:
        for lemma in d.lemmas:
            vocab.setdefault(lemma, len(vocab))
    counts = _counts(docs, vocab)
    present = counts > 0
    df_all = present.sum(axis=0)
    tf = _tf(counts)
    precision = recall = 0.0
    for i, doc in enumerate(docs):
        model = None
        if method != "keywords":
            df = df_all - present[i]
            idf = np.log(len(docs) / (1 + df)) + 1.0  # (1 + N - 1) / (1 + df) over the N - 1 others
            others = [j for j in range(len(docs)) if j != i]
            model = Model(vocab, idf, _normalise(tf[others] * idf), [docs[j] for j in others])
        weights = (0.0, 1.0) if method == "neighbours" else (0.5, 0.5)
        suggester = Suggester(index if method != "neighbours" else {}, model, k, weights, codes)
        top = [s.code for s in suggester.suggest_lemmas(doc.lemmas, top=3, min_score=1e-9)]
        hits = len(set(top) & doc.labels)
        precision += hits / 3
        recall += hits / len(doc.labels)
    return Evaluation(len(docs), precision / len(docs), recall / len(docs), method)
