"""Append the fresh sets' labels (weak_spots_*.jsonl, tone_*.csv here) to data/eval's label files.

Idempotent: a document already in weak_spots.jsonl / tone.csv is left as it is.
Usage: python data/eval/fresh/merge.py
"""
import csv
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
EVAL = HERE.parent


def main() -> None:
    ws_file, tone_file = EVAL / "weak_spots.jsonl", EVAL / "tone.csv"
    have = {json.loads(line)["doc"] for line in ws_file.read_text(encoding="utf-8").splitlines() if line.strip()}
    with open(tone_file, encoding="utf-8", newline="") as f:
        have_tone = {r["doc"] for r in csv.DictReader(f)}
    added = 0
    for part in sorted(HERE.glob("weak_spots_*.jsonl")):
        with open(ws_file, "a", encoding="utf-8") as out:
            for line in part.read_text(encoding="utf-8").splitlines():
                if line.strip() and json.loads(line)["doc"] not in have:
                    out.write(json.dumps(json.loads(line), ensure_ascii=False) + "\n")
                    added += 1
    for part in sorted(HERE.glob("tone_*.csv")):
        with open(part, encoding="utf-8", newline="") as f, open(tone_file, "a", encoding="utf-8", newline="") as out:
            w = csv.DictWriter(out, fieldnames=["doc", "split", "tone", "rationale"], lineterminator="\n")
            for r in csv.DictReader(f):
                if r["doc"] not in have_tone:
                    w.writerow({k: r[k] for k in ("doc", "split", "tone", "rationale")})
    print(f"added {added} documents")


if __name__ == "__main__":
    main()
