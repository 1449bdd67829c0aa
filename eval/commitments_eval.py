"""Precision and recall of commitment extraction against hand-labelled minutes
(`data/commitments_labelled.jsonl`: each label is a fragment of a sentence that is a commitment).
The four seed items were labelled while the patterns were written; the Kent Cabinet minutes were
labelled afterwards, from every sentence with a future or undertaking verb, as a held-out check."""

import json
from pathlib import Path

from ingest.commitments import find_commitments
from ingest.extract.pdf import extract_pdf_pages
from ingest.extract.text import extract_text

LABELS = Path(__file__).parent / "data" / "commitments_labelled.jsonl"


def evaluate(corpus_root: Path) -> dict:
    extracted_total = matched_extracted = labels_total = matched_labels = 0
    misses, extras = [], []
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        data = (corpus_root / record["file"]).read_bytes()
        text = "\n\n".join(extract_pdf_pages(data)) if record["file"].endswith(".pdf") else extract_text(data)
        found = find_commitments(text, record["meeting_date"])
        labels = record["commitments"]
        extracted_total += len(found)
        labels_total += len(labels)
        for commitment in found:
            if any(label in commitment.quote for label in labels):
                matched_extracted += 1
            else:
                extras.append(commitment.quote[:120])
        for label in labels:
            if any(label in commitment.quote for commitment in found):
                matched_labels += 1
            else:
                misses.append(label)
    return {
        "labelled": labels_total,
        "extracted": extracted_total,
        "precision": round(matched_extracted / extracted_total, 3) if extracted_total else 0.0,
        "recall": round(matched_labels / labels_total, 3) if labels_total else 0.0,
        "missed": misses,
        "spurious": extras,
        "goal": {"precision": 0.9, "recall": 0.8},
    }
