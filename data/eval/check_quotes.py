"""Check that every quote in weak_spots.jsonl is a verbatim substring of its source.

Also checks that weak_spots.jsonl and tone.csv cover the same documents with the same
split. It does not label anything.

Usage: python data/eval/check_quotes.py [SOURCE_ROOT]
"""

import csv
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
CATEGORIES = {
    "mind_blank", "nerves", "knowledge_gap", "problem_solving", "time_management",
    "communication", "behavioral_answers", "preparation", "self_presentation", "rapport",
    "questions_for_interviewer", "logistics", "compensation", "follow_up",
}


def source_text(doc: str, root: Path) -> str:
    """Return the text a doc id refers to."""
    path, _, line = doc.partition(":")
    if path.startswith("samples/"):
        file = REPO / "data" / path
    elif path.split("/")[0].startswith("fresh"):  # fresh/, fresh3/, ...: saved here
        file = HERE / path
    else:
        file = root / path
    text = file.read_text(encoding="utf-8")
    if not line:
        return text
    lines = text.splitlines()
    if path.endswith(".jsonl"):
        return json.loads(lines[int(line) - 1])["story"]
    # jrnl export: from the [date] header line to the next header line.
    start = int(line) - 1
    end = start + 1
    while end < len(lines) and not lines[end].startswith("["):
        end += 1
    return "\n".join(lines[start:end])


def main() -> int:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared/eval/interview-writeups"
    errors = []
    ws = {}
    for n, raw in enumerate((HERE / "weak_spots.jsonl").read_text().splitlines(), 1):
        row = json.loads(raw)
        if row["doc"] in ws:
            errors.append(f"weak_spots line {n}: duplicate doc {row['doc']}")
        ws[row["doc"]] = row["split"]
        text = source_text(row["doc"], root)
        for lab in row["labels"]:
            if lab["category"] not in CATEGORIES:
                errors.append(f"weak_spots line {n}: bad category {lab['category']}")
            if lab["quote"] not in text:
                errors.append(f"weak_spots line {n} ({row['doc']}): quote not found: {lab['quote']!r}")
    with open(HERE / "tone.csv", newline="") as fh:
        tone = {r["doc"]: r["split"] for r in csv.DictReader(fh)}
    if ws != tone:
        errors.append(f"docs/splits differ: only in weak_spots {sorted(set(ws.items()) - set(tone.items()))}, "
                      f"only in tone {sorted(set(tone.items()) - set(ws.items()))}")
    for e in errors:
        print(e)
    print(f"{len(ws)} docs, {len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
