#!/usr/bin/env python3
"""Assemble target/reliability/<lang>.json (written by each language's fault-matrix
runner) into docs/RELIABILITY.md.

Exits non-zero when a cell failed, a call outlived its timeout, or a send cell shows
more POSTs than the retry policy allows (a possible duplicate SMS). The checks are
recomputed here from the raw numbers, not taken from the runners' own verdicts.

    python3 scripts/reliability/report.py [--results DIR] [--out FILE] [--require rust,python]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ORDER = ["rust", "python", "node", "c"]
TITLES = {"rust": "Rust", "python": "Python", "node": "Node", "c": "C"}


def load_results(results_dir: Path) -> dict[str, dict]:
    found = {}
    for path in sorted(results_dir.glob("*.json")):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise SystemExit(f"{path}: unreadable: {e}")
        if isinstance(doc, dict) and isinstance(doc.get("cells"), list):
            found[doc.get("language") or path.stem] = doc
    return found


def check_cell(cell: dict, spec: dict, tolerance_ms: int) -> list[str]:
    """Problems with one cell's raw numbers, against faults.json (`spec`)."""
    problems = []
    want = spec["expect"]
    if cell.get("kind") != want["kind"]:
        problems.append(f"kind {cell.get('kind')} != {want['kind']}")
    if cell.get("attempts") != want["attempts"]:
        problems.append(f"attempts {cell.get('attempts')} != {want['attempts']}")
    if cell.get("requests") != want["requests"]:
        problems.append(f"requests {cell.get('requests')} != {want['requests']}")
    if "maybe_sent" in want and cell.get("maybe_sent") != want["maybe_sent"]:
        problems.append(f"maybe_sent {cell.get('maybe_sent')} != {want['maybe_sent']}")
    timeout = cell.get("timeout_ms")
    elapsed = cell.get("elapsed_ms")
    if not isinstance(elapsed, (int, float)) or not isinstance(timeout, (int, float)):
        problems.append("no timing recorded")
    elif elapsed > timeout + tolerance_ms:
        problems.append(f"took {elapsed} ms > {timeout} + {tolerance_ms} ms")
    return problems


def fmt(v) -> str:
    if v is None:
        return "–"
    if v is True:
        return "yes"
    if v is False:
        return "no"
    return str(v)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--results", default=str(ROOT / "target" / "reliability"))
    ap.add_argument("--out", default=str(ROOT / "docs" / "RELIABILITY.md"))
    ap.add_argument("--matrix", default=str(ROOT / "tests" / "vectors" / "faults.json"))
    ap.add_argument("--require", default="rust", help="comma-separated languages that must be present")
    args = ap.parse_args()

    matrix = json.loads(Path(args.matrix).read_text(encoding="utf-8"))
    specs = {c["name"]: c for c in matrix["cells"]}
    tolerance = int(matrix["tolerance_ms"])
    results = load_results(Path(args.results))
    errors: list[str] = []
    for lang in filter(None, args.require.split(",")):
        if lang not in results:
            errors.append(f"{lang}: no results in {args.results}/{lang}.json")

    langs = [l for l in ORDER if l in results] + sorted(l for l in results if l not in ORDER)
    sections = []
    summary_rows = []
    total_dups = 0
    total_send_cells = 0
    for lang in langs:
        doc = results[lang]
        cells = {c["name"]: c for c in doc["cells"]}
        missing = [n for n in specs if n not in cells]
        extra = [n for n in cells if n not in specs]
        for n in missing:
            errors.append(f"{lang}: cell {n} not run")
        for n in extra:
            errors.append(f"{lang}: cell {n} is not in faults.json")
        rows = []
        failed = 0
        dups = 0
        worst_over = None
        for name, spec in specs.items():
            cell = cells.get(name)
            if cell is None:
                continue
            problems = check_cell(cell, spec, tolerance)
            if spec["op"] == "send":
                total_send_cells += 1
                allowed = spec["expect"]["requests"]
                posts = cell.get("requests")
                if isinstance(posts, int) and posts > allowed:
                    dups += posts - allowed
                    problems.append(f"{posts - allowed} POST(s) more than allowed: possible duplicate SMS")
            if problems:
                failed += 1
                errors.extend(f"{lang}: {name}: {p}" for p in problems)
            if isinstance(cell.get("elapsed_ms"), (int, float)):
                margin = cell["elapsed_ms"] - cell["timeout_ms"]
                worst_over = margin if worst_over is None else max(worst_over, margin)
            want = spec["expect"]
            rows.append(
                "| {name} | {kind} | {attempts} | {requests} | {maybe} | {elapsed} / {timeout} | {ok} |".format(
                    name=f"`{name}`",
                    kind=cell.get("kind") if cell.get("kind") == want["kind"] else f"**{cell.get('kind')}** (want {want['kind']})",
                    attempts=fmt(cell.get("attempts")) + ("" if cell.get("attempts") == want["attempts"] else f" (want {want['attempts']})"),
                    requests=fmt(cell.get("requests")) + ("" if cell.get("requests") == want["requests"] else f" (want {want['requests']})"),
                    maybe=fmt(cell.get("maybe_sent")),
                    elapsed=fmt(cell.get("elapsed_ms")),
                    timeout=fmt(cell.get("timeout_ms")),
                    ok="ok" if not problems else "**FAIL**: " + "; ".join(problems),
                )
            )
        total_dups += dups
        summary_rows.append(
            f"| {TITLES.get(lang, lang)} | {doc.get('sdk', '')} | {len(cells)} | {len(cells) - failed - len(extra)} | {failed} | {dups} | {fmt(worst_over)} |"
        )
        sections.append(
            "\n".join(
                [
                    f"### {TITLES.get(lang, lang)}",
                    "",
                    f"Runner: `{doc.get('runner', '?')}`; SDK `{doc.get('sdk', '?')}`; client "
                    f"`max_retries={matrix['client']['max_retries']}`, timeout {matrix['client']['timeout_ms']} ms "
                    "unless the cell says otherwise.",
                    "",
                    "| cell | error kind | attempts | requests at the gateway (sends: POSTs) | maybe_sent | ms / timeout ms | result |",
                    "|---|---|---|---|---|---|---|",
                    *rows,
                ]
            )
        )

    dup_line = f"duplicate sends: {total_dups}"
    status = "PASS" if not errors else "FAIL"
    doc = f"""# Reliability

Generated by `scripts/reliability/report.py` from `target/reliability/<lang>.json` (run
`make test-reliability`). Do not edit by hand.

Our promise: under faults the SDK never sends a duplicate SMS, never outlives its
timeout, never leaks its API key, and no input crashes it, in all four languages.

## Fault matrix: {status}

**{dup_line}** (over {total_send_cells} send cells in {len(langs)} language(s): POSTs the gateway received beyond what the
retry policy allows; a send is retried only on 429 and when the request provably never left).

Every cell is defined once in `tests/vectors/faults.json` and played by each language
against `zignsec-mock` (`POST /_mock/faults`), one call per cell. Reads are
`get_sms_session`, sends `send_sms`. A cell passes when the error kind, the attempts,
the requests the gateway saw and `maybe_sent` match, and the call returned within its
timeout + {tolerance} ms.

| language | SDK | cells | passed | failed | duplicate sends | worst ms past timeout |
|---|---|---|---|---|---|---|
{chr(10).join(summary_rows)}

{chr(10).join(chr(10) + s for s in sections)}
"""
    doc += EXTRA
    if errors:
        doc += "\n## Problems\n\n" + "\n".join(f"- {e}" for e in errors) + "\n"
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(doc, encoding="utf-8")
    print(f"wrote {os.path.relpath(out, ROOT)}: {len(langs)} language(s) ({', '.join(langs)}); {dup_line}")
    if errors:
        print("reliability report: FAIL", file=sys.stderr)
        for e in errors:
            print("  " + e, file=sys.stderr)
        return 1
    return 0


EXTRA_PATH = Path(__file__).with_name("RELIABILITY.tail.md")
EXTRA = "\n" + EXTRA_PATH.read_text(encoding="utf-8") if EXTRA_PATH.exists() else ""

if __name__ == "__main__":
    sys.exit(main())
