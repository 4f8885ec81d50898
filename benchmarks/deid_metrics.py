"""Recall and precision of ``caseletter.deid.text.scan_text`` on the labelled paragraphs.

The labelled set is written as marked text (``tests/fixtures/deid/{dev,heldout,heldout2}.txt``: one
paragraph a line, ``[[type:text]]`` around each identifier) and compiled to JSONL
(``text`` plus ``spans`` of ``start``, ``end``, ``type``) by ``--compile``.

Span match rule: a finding is a true positive when it overlaps a gold span of the same type;
a gold span is recalled when some finding of its type overlaps it. Findings that overlap no
gold span of their type are false positives.

Usage: python benchmarks/deid_metrics.py [--compile] [--part dev|heldout|heldout2|fresh_dev|fresh_heldout|all]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "deid"
#: The labelled parts: the first three were written with the rules; "fresh_dev" and
#: "fresh_heldout" were written afterwards by another hand, from every country, and the held-out
#: part was scored once before any rule was changed.
PARTS = ("dev", "heldout", "heldout2", "fresh_dev", "fresh_heldout", "fresh_heldout2", "fresh_heldout3")
_MARK = re.compile(r"\[\[(\w+):(.+?)\]\]")


def parse_marked(line: str) -> dict:
    """Turn one marked paragraph into ``{"text", "spans"}`` with character offsets."""
    text, spans, pos = [], [], 0
    for m in _MARK.finditer(line):
        text.append(line[pos : m.start()])
        start = sum(map(len, text))
        text.append(m.group(2))
        spans.append({"start": start, "end": start + len(m.group(2)), "type": m.group(1)})
        pos = m.end()
    text.append(line[pos:])
    return {"text": "".join(text), "spans": spans}


def compile_marked(part: str) -> Path:
    """Write ``<part>.jsonl`` from ``<part>.txt``; lines starting with '#' are comments."""
    lines = (FIXTURES / f"{part}.txt").read_text(encoding="utf-8").splitlines()
    records = [parse_marked(line) for line in lines if line.strip() and not line.startswith("#")]
    out = FIXTURES / f"{part}.jsonl"
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return out


def load_labelled(part: str) -> list[dict]:
    """The labelled records of one part ('dev', 'heldout', 'heldout2') or of all ('all')."""
    parts = list(PARTS) if part == "all" else [part]
    records = []
    for name in parts:
        lines = (FIXTURES / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        records += [json.loads(line) for line in lines if line.strip()]
    return records


def score(records: list[dict], scan=None) -> dict[str, Counter]:
    """Count, per type, gold spans, recalled gold spans, findings and true findings."""
    if scan is None:
        from caseletter.deid.text import scan_text as scan
    counts: dict[str, Counter] = {}
    for record in records:
        found = [(f.start, f.end, f.type) for f in scan(record["text"])]
        gold = [(g["start"], g["end"], g["type"]) for g in record["spans"]]
        for s, e, t in gold:
            c = counts.setdefault(t, Counter())
            c["gold"] += 1
            c["recalled"] += any(t == ft and fs < e and s < fe for fs, fe, ft in found)
        for s, e, t in found:
            c = counts.setdefault(t, Counter())
            c["found"] += 1
            c["true"] += any(t == gt and gs < e and s < ge for gs, ge, gt in gold)
    return counts


def summarize(counts: dict[str, Counter]) -> tuple[float, float]:
    """Overall recall and precision (micro-averaged over types)."""
    total = sum(counts.values(), Counter())
    recall = total["recalled"] / total["gold"] if total["gold"] else 1.0
    precision = total["true"] / total["found"] if total["found"] else 1.0
    return recall, precision


def format_table(counts: dict[str, Counter]) -> str:
    """A plain-text table of recall and precision per type and overall."""
    rows = [f"{'type':<12} {'gold':>5} {'found':>6} {'recall':>7} {'precision':>9}"]
    for kind in sorted(counts):
        c = counts[kind]
        r = f"{c['recalled'] / c['gold']:.3f}" if c["gold"] else "-"
        p = f"{c['true'] / c['found']:.3f}" if c["found"] else "-"
        rows.append(f"{kind:<12} {c['gold']:>5} {c['found']:>6} {r:>7} {p:>9}")
    recall, precision = summarize(counts)
    total = sum(counts.values(), Counter())
    rows.append(f"{'overall':<12} {total['gold']:>5} {total['found']:>6} {recall:>7.3f} {precision:>9.3f}")
    return "\n".join(rows)


def list_errors(records: list[dict], scan=None) -> list[str]:
    """Missed gold spans and false findings, one line each, for reading the failures."""
    if scan is None:
        from caseletter.deid.text import scan_text as scan
    lines = []
    for record in records:
        found = [(f.start, f.end, f.type) for f in scan(record["text"])]
        gold = [(g["start"], g["end"], g["type"]) for g in record["spans"]]
        text = record["text"]
        for s, e, t in gold:
            if not any(t == ft and fs < e and s < fe for fs, fe, ft in found):
                lines.append(f"MISSED {t:<11} {text[s:e]!r}  in: {text[:70]}")
        for s, e, t in found:
            if not any(t == gt and gs < e and s < ge for gs, ge, gt in gold):
                lines.append(f"FALSE  {t:<11} {text[s:e]!r}  in: {text[:70]}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compile", action="store_true", help="rebuild the JSONL from the marked text first")
    parser.add_argument("--part", default="all", choices=[*PARTS, "all"])
    parser.add_argument("--errors", action="store_true", help="list every miss and false finding")
    args = parser.parse_args(argv)
    if args.compile:
        for part in PARTS:
            print(f"wrote {compile_marked(part)}", file=sys.stderr)
    parts = [*PARTS, "all"] if args.part == "all" else [args.part]
    for part in parts:
        records = load_labelled(part)
        print(f"\n== {part}: {len(records)} paragraphs (match: overlap with a gold span of the same type)")
        print(format_table(score(records)))
        if args.errors and part != "all":
            print("\n".join(list_errors(records)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
