"""Writes `data/ofsted_questions.jsonl`: judgement, lead-inspector and inspection-date questions
whose answers the published CSV states (../shared/corpus/ofsted-ilacs/ofsted_csc_ilacs_history.csv).

The CSV is only the answer key: questions name the authority and month as a member would, and
the expected facts are the CSV's values. Rows are picked deterministically (every Nth ILACS
report, authorities in the hand-written set excluded) so the set is reproducible:

    python -m eval.make_ofsted_questions ../shared/corpus/ofsted-ilacs/ofsted_csc_ilacs_history.csv
"""

import csv
import json
import sys
from datetime import datetime
from pathlib import Path

GRADES = {"outstanding", "good", "requires improvement", "inadequate"}
EXCLUDED = {"medway", "west berkshire"}
OUT = Path(__file__).parent / "data" / "ofsted_questions.jsonl"


def _display(name: str) -> str:
    return " ".join(word if word in ("and", "of", "upon", "on") else word.capitalize() for word in name.split())


def main(csv_path: str) -> None:
    rows = [
        row
        for row in csv.DictReader(open(csv_path, encoding="utf-8"))
        if row["overall_effectiveness_grade"] in GRADES and row["local_authority"] not in EXCLUDED
    ]
    rows.sort(key=lambda r: (r["local_authority"], r["publication_date"][-2:], r["publication_date"]))
    questions = []
    for number, row in enumerate(rows[::7]):
        published = datetime.strptime(row["publication_date"], "%d/%m/%y")
        month = published.strftime("%B %Y")
        authority = _display(row["local_authority"])
        relevant = [f"{row['urn']}_{row['local_authority']}/{row['pdf_filename']}"]
        base = {"part": "shared", "relevant": relevant}
        kind = number % 3
        if kind == 0:
            questions.append({
                "id": f"ofsted-grade-{row['urn']}-{published:%Y%m}",
                "question": f"What overall effectiveness judgement did Ofsted give {authority}'s children's services in the report published in {month}?",
                "category": "judgement",
                "facts": [[row["overall_effectiveness_grade"]]],
                **base,
            })
        elif kind == 1:
            questions.append({
                "id": f"ofsted-inspector-{row['urn']}-{published:%Y%m}",
                "question": f"Who was the lead inspector of {authority}'s children's services inspection published in {month}?",
                "category": "fact",
                "facts": [[row["inspector_name"].split()[-1]]],
                **base,
            })
        else:
            end = datetime.strptime(row["inspection_end_date"], "%d/%m/%Y")
            questions.append({
                "id": f"ofsted-dates-{row['urn']}-{published:%Y%m}",
                "question": f"When did Ofsted's inspectors visit {authority} for the children's services inspection published in {month}?",
                "category": "date",
                "facts": [[f"{end.day} {end:%B %Y}"]],
                **base,
            })
    with OUT.open("w", encoding="utf-8") as handle:
        for question in questions:
            handle.write(json.dumps(question, ensure_ascii=False) + "\n")
    print(f"wrote {len(questions)} questions to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
