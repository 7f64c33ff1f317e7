"""Accuracy of an extraction against a hand-annotated gold (spec/extraction.md's JSON)."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from etl.normalize import fold

HEADER_FIELDS = (
    "title",
    "issuer",
    "inspected_unit",
    "inspection_kind",
    "round",
    "team",
    "inspection_start",
    "inspection_end",
    "feedback_date",
    "publish_date",
)
FINDING_KEYS = ("id", "parent_id", "level", "label", "title")
NODE_LEVELS = ("area", "problem", "item", "measure")
NODE_KEY_CHARS = 8  # a predicted node matches a gold one on this many normalised characters
_QUOTES = set("“”‘’\"'《》「」")
_LEAD_WORDS = ("关于", "针对")
MEASURE_KEYS = ("id", "finding_id", "section", "ordinal", "headline", "text", "start", "end")


@dataclass
class Score:
    """Counts behind every figure of the report, so tests can assert on them."""

    skeleton_exact: bool | None = None
    skeleton_detail: str = ""
    header_ok: int = 0
    header_total: int = 0
    header_misses: list = field(default_factory=list)
    totals_ok: int = 0
    totals_total: int = 0
    totals_misses: list = field(default_factory=list)
    metric_tp: int = 0
    metric_pred: int = 0
    metric_pred_ok: int = 0
    metric_required: int = 0
    missed_metrics: list = field(default_factory=list)
    spurious_metrics: list = field(default_factory=list)
    indicators: dict = field(default_factory=dict)  # code → (expected, got)
    category_ok: int = 0
    category_total: int = 0
    status_ok: int = 0
    status_total: int = 0
    dept_tp: int = 0
    dept_pred: int = 0
    dept_gold: int = 0
    # Skeleton nodes by level: level → [matched, predicted, gold] (optional gold left out).
    nodes: dict = field(default_factory=dict)
    missed_nodes: list = field(default_factory=list)  # (level, gold title)
    extra_nodes: list = field(default_factory=list)  # (level, predicted title)

    @property
    def precision(self) -> float:
        return self.metric_pred_ok / self.metric_pred if self.metric_pred else 1.0

    @property
    def recall(self) -> float:
        return self.metric_tp / self.metric_required if self.metric_required else 1.0

    @property
    def metric_f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def category_accuracy(self) -> float | None:
        return self.category_ok / self.category_total if self.category_total else None

    @property
    def status_accuracy(self) -> float | None:
        return self.status_ok / self.status_total if self.status_total else None

    @property
    def department_f1(self) -> float | None:
        if not self.dept_gold:
            return None
        p = self.dept_tp / self.dept_pred if self.dept_pred else 0.0
        r = self.dept_tp / self.dept_gold
        return 2 * p * r / (p + r) if p + r else 0.0

    def node_scores(self, level: str | None = None) -> tuple[float, float, float]:
        """(precision, recall, F1) of skeleton nodes at `level`, or over all levels."""
        return _prf(*_node_counts(self.nodes, level))

    @property
    def indicators_exact(self) -> int:
        return sum(1 for e, g in self.indicators.values() if _close(e, g))


def _close(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return abs(float(a) - float(b)) < 1e-6 * max(1.0, abs(float(a)))


def _prf(tp: int, pred: int, gold: int) -> tuple[float, float, float]:
    p = tp / pred if pred else 1.0
    r = tp / gold if gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _node_counts(nodes: dict, level: str | None = None) -> tuple[int, int, int]:
    rows = [nodes[level]] if level else list(nodes.values())
    rows = [r for r in rows if r]
    return tuple(sum(r[i] for r in rows) for i in range(3)) if rows else (0, 0, 0)


def node_key(title: str | None) -> str:
    """A skeleton node's matching key: its first characters after NFKC folding, without
    whitespace, punctuation or quotes, and without a leading 关于/针对."""
    text = "".join(
        ch
        for ch in fold(title or "")
        if not ch.isspace() and ch not in _QUOTES and not unicodedata.category(ch).startswith("P")
    )
    for word in _LEAD_WORDS:
        if text.startswith(word):
            text = text[len(word) :]
            break
    return text[:NODE_KEY_CHARS]


def predicted_nodes(pred: dict) -> list[tuple[str, str]]:
    """(level, title) of every finding and measure (a measure's title is its text)."""
    nodes = [(f["level"], f["title"]) for f in pred["findings"]]
    return nodes + [("measure", m["text"]) for m in pred["measures"]]


def gold_nodes(gold: dict) -> list[dict] | None:
    """The gold's `skeleton` list, or one derived from its findings and measures."""
    if "skeleton" in gold:
        return gold["skeleton"]
    if "findings" in gold and "measures" in gold:
        return [{"level": level, "title": title} for level, title in predicted_nodes(gold)]
    return None


def keys_agree(a: str, b: str) -> bool:
    """Two node keys agree on their first NODE_KEY_CHARS characters; a title shorter than
    that (针对日常监督不深入的问题 → 日常监督不深入) agrees when it starts the other one."""
    short = min(len(a), len(b))
    if short >= NODE_KEY_CHARS:
        return a[:NODE_KEY_CHARS] == b[:NODE_KEY_CHARS]
    return short >= NODE_KEY_CHARS // 2 and a[:short] == b[:short]


def _take(pool: list[list], level: str, key: str) -> bool:
    """Remove and report the first [level, key, ...] entry in `pool` agreeing with `key`."""
    for i, (lv, k, *_rest) in enumerate(pool):
        if lv == level and keys_agree(k, key):
            del pool[i]
            return True
    return False


def _nodes(pred: dict, gold: dict, s: Score) -> None:
    """Node precision and recall by level: one-to-one matches on level and agreeing keys; a
    prediction matching an optional gold node counts neither way."""
    wanted = gold_nodes(gold)
    if wanted is None:
        return
    required = [
        [g["level"], node_key(g["title"]), g["title"]] for g in wanted if not g.get("optional")
    ]
    optional = [[g["level"], node_key(g["title"])] for g in wanted if g.get("optional")]
    s.nodes = {level: [0, 0, 0] for level in NODE_LEVELS}
    for level, _key, _title in required:
        s.nodes.setdefault(level, [0, 0, 0])[2] += 1
    for level, title in predicted_nodes(pred):
        key = node_key(title)
        if _take(required, level, key):
            s.nodes[level][0] += 1
            s.nodes[level][1] += 1
        elif not _take(optional, level, key):
            s.nodes.setdefault(level, [0, 0, 0])[1] += 1
            s.extra_nodes.append((level, title))
    s.missed_nodes += [(level, title) for level, _key, title in required]


def gold_for(gold_doc, file: str | Path) -> dict:
    """The gold entry for FILE: the document itself, or its entry in an index list."""
    if isinstance(gold_doc, list):
        name = Path(file).name
        for entry in gold_doc:
            if entry.get("file") == name:
                return entry
        raise KeyError(f"no gold entry for {name}")
    return gold_doc


def evaluate(pred: dict, gold: dict) -> Score:
    s = Score()
    _header(pred, gold, s)
    _nodes(pred, gold, s)
    if "findings" in gold and "measures" in gold:
        _skeleton(pred, gold, s)
        _labels(pred, gold, s)
    _metrics(pred, gold, s)
    return s


def _header(pred: dict, gold: dict, s: Score) -> None:
    for key in HEADER_FIELDS:
        if key not in gold["report"]:
            continue
        s.header_total += 1
        if pred["report"].get(key) == gold["report"][key]:
            s.header_ok += 1
        else:
            s.header_misses.append((key, gold["report"][key], pred["report"].get(key)))
    for key, want in gold["report"].get("stated_totals", {}).items():
        s.totals_total += 1
        got = pred["report"]["stated_totals"].get(key)
        if _close(want, got):
            s.totals_ok += 1
        else:
            s.totals_misses.append((key, want, got))


def _skeleton(pred: dict, gold: dict, s: Score) -> None:
    gf = [tuple(f.get(k) for k in FINDING_KEYS) for f in gold["findings"]]
    pf = [tuple(f.get(k) for k in FINDING_KEYS) for f in pred["findings"]]
    gm = [tuple(m.get(k) for k in MEASURE_KEYS) for m in gold["measures"]]
    pm = [tuple(m.get(k) for k in MEASURE_KEYS) for m in pred["measures"]]
    s.skeleton_exact = gf == pf and gm == pm
    diff_f = sum(1 for a, b in zip(gf, pf, strict=False) if a != b) + abs(len(gf) - len(pf))
    diff_m = sum(1 for a, b in zip(gm, pm, strict=False) if a != b) + abs(len(gm) - len(pm))
    s.skeleton_detail = (
        f"findings {len(pf)}/{len(gf)} ({diff_f} differ), "
        f"measures {len(pm)}/{len(gm)} ({diff_m} differ)"
    )


def _labels(pred: dict, gold: dict, s: Score) -> None:
    """Category, status and departments, aligned on where each measure starts."""
    by_start = {m["start"]: m for m in pred["measures"]}
    for g in gold["measures"]:
        p = by_start.get(g["start"])
        s.category_total += 1
        s.status_total += 1
        s.dept_gold += len(set(g["departments"]))
        if p is None:
            continue
        s.category_ok += p["category"] == g["category"]
        s.status_ok += p["status"] == g["status"]
        s.dept_pred += len(set(p["departments"]))
        s.dept_tp += len(set(p["departments"]) & set(g["departments"]))
    pf = {(f["level"], f["label"]): f for f in pred["findings"]}
    for g in gold["findings"]:
        s.category_total += 1
        p = pf.get((g["level"], g["label"]))
        s.category_ok += bool(p and p["category"] == g["category"])


def _metric_key(m: dict) -> tuple:
    return (round(float(m["value"]), 6), m["unit_normalized"])


def _metrics(pred: dict, gold: dict, s: Score) -> None:
    gold_metrics = gold.get("metrics", [])
    pool = defaultdict(list)  # key → gold metrics not yet matched
    for g in gold_metrics:
        pool[_metric_key(g)].append(g)
    s.metric_required = sum(1 for g in gold_metrics if g.get("required", True))
    s.metric_pred = len(pred["metrics"])
    for p in pred["metrics"]:
        candidates = pool.get(_metric_key(p))
        if not candidates:
            s.spurious_metrics.append(p)
            continue
        # Prefer the gold figure in the same measure, then a required one.
        candidates.sort(
            key=lambda g: (g.get("measure_id") != p.get("measure_id"), not g.get("required", True))
        )
        g = candidates.pop(0)
        s.metric_pred_ok += 1
        s.metric_tp += bool(g.get("required", True))
    for left in pool.values():
        s.missed_metrics += [g for g in left if g.get("required", True)]
    if not any("indicator" in g for g in gold_metrics):
        return  # this gold does not annotate indicators
    expected, got = defaultdict(float), defaultdict(float)
    for g in gold_metrics:
        if g.get("indicator"):
            expected[g["indicator"]] += float(g["value"])
    for p in pred["metrics"]:
        if p.get("indicator"):
            got[p["indicator"]] += float(p["value"])
    for code in sorted(set(expected) | set(got)):
        s.indicators[code] = (expected.get(code), got.get(code))


def _fmt(x) -> str:
    if x is None:
        return "n/a"
    return f"{x:.3f}" if isinstance(x, float) else str(x)


def render(score: Score, name: str) -> str:
    rows = [("file", name)]
    if score.skeleton_exact is not None:
        rows.append(
            (
                "skeleton exact",
                f"{'yes' if score.skeleton_exact else 'no'} — {score.skeleton_detail}",
            )
        )
    rows += _node_rows(score.nodes)
    rows.append(("header fields", f"{score.header_ok}/{score.header_total}"))
    rows.append(("stated totals", f"{score.totals_ok}/{score.totals_total}"))
    rows.append(("metric precision", _fmt(score.precision)))
    rows.append(("metric recall", _fmt(score.recall)))
    rows.append(("metric F1", _fmt(score.metric_f1)))
    if score.indicators:
        rows.append(("indicator totals exact", f"{score.indicators_exact}/{len(score.indicators)}"))
    rows.append(("category accuracy", _fmt(score.category_accuracy)))
    rows.append(("status accuracy", _fmt(score.status_accuracy)))
    rows.append(("department F1", _fmt(score.department_f1)))
    width = max(len(k) for k, _ in rows)
    lines = [f"{k.ljust(width)}  {v}" for k, v in rows]
    for code, (want, got) in score.indicators.items():
        mark = "ok" if _close(want, got) else "MISMATCH"
        lines.append(f"  {code.ljust(30)} expected {_fmt(want)}  got {_fmt(got)}  {mark}")
    for key, want, got in score.header_misses + score.totals_misses:
        lines.append(f"  miss {key}: expected {want!r} got {got!r}")
    for level, title in score.missed_nodes[:10]:
        lines.append(f"  missed node: {level} {title[:24]}")
    for level, title in score.extra_nodes[:10]:
        lines.append(f"  extra node: {level} {title[:24]}")
    for g in score.missed_metrics[:10]:
        lines.append(f"  missed metric: {g['raw']} ({g['value']} {g['unit']})")
    for p in score.spurious_metrics[:10]:
        lines.append(f"  extra metric: {p['raw']} ({p['value']} {p['unit']})")
    return "\n".join(lines)


def _node_row(counts: tuple[int, int, int]) -> str:
    p, r, f = _prf(*counts)
    tp, pred, gold = counts
    return f"P {p:.3f}  R {r:.3f}  F1 {f:.3f}  ({tp} matched, {pred} predicted, {gold} gold)"


def _node_rows(nodes: dict) -> list[tuple[str, str]]:
    if not nodes:
        return []
    rows = [("skeleton nodes", _node_row(_node_counts(nodes)))]
    for level in NODE_LEVELS:
        if any(nodes.get(level) or ()):
            rows.append((f"  {level}", _node_row(tuple(nodes[level]))))
    return rows


def render_total(scores: list[Score]) -> str:
    """One row over several files: skeleton nodes by level, header fields, stated totals."""
    nodes: dict = {}
    for s in scores:
        for level, counts in s.nodes.items():
            row = nodes.setdefault(level, [0, 0, 0])
            for i in range(3):
                row[i] += counts[i]
    header = (sum(s.header_ok for s in scores), sum(s.header_total for s in scores))
    totals = (sum(s.totals_ok for s in scores), sum(s.totals_total for s in scores))
    rows = [("total", f"{len(scores)} files")] + _node_rows(nodes)
    rows.append(("header fields", f"{header[0]}/{header[1]}"))
    rows.append(("stated totals", f"{totals[0]}/{totals[1]}"))
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k.ljust(width)}  {v}" for k, v in rows)
