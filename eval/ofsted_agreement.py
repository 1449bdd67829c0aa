"""Agreement of the grades read from each Ofsted report's first page with the published CSV
(the CSV is the answer key only; ingest never reads it)."""

import csv
from pathlib import Path

from ingest.extract import ExtractionError
from ingest.extract.pdf import extract_pdf_pages
from councils.ofsted import read_first_page

GRADES = {"outstanding", "good", "requires improvement", "inadequate"}
COLUMNS = {
    "overall_effectiveness": "overall_effectiveness_grade",
    "impact_of_leaders": "impact_of_leaders_grade",
    "help_and_protection": "help_and_protection_grade",
    "in_care": "in_care_grade",
    "care_leavers": "care_leavers_grade",
}


def first_page(path: Path) -> str:
    """Page 1 exactly as ingest reads it (running headers removed, lines re-flowed)."""
    return extract_pdf_pages(path.read_bytes())[0]


def agreement(ofsted_folder: Path) -> dict:
    rows = list(csv.DictReader((ofsted_folder / "ofsted_csc_ilacs_history.csv").open(encoding="utf-8")))
    checked = agreed = reports = 0
    disagreements = []
    for row in rows:
        expected = {key: row[column] for key, column in COLUMNS.items() if row[column] in GRADES}
        if not expected:
            continue
        folder = next((ofsted_folder / "reports").glob(f"{row['urn']}_*"), None)
        path = folder / row["pdf_filename"] if folder else None
        if path is None or not path.exists():
            disagreements.append({"report": row["pdf_filename"], "authority": row["local_authority"], "problem": "file missing"})
            checked += len(expected)
            continue
        reports += 1
        try:
            facts = read_first_page(first_page(path))
        except ExtractionError as e:
            facts = None
            disagreements.append({"report": str(path.name), "authority": row["local_authority"], "problem": str(e)})
        for key, grade in expected.items():
            checked += 1
            found = facts.grades[key].value if facts and key in facts.grades else None
            if found == grade:
                agreed += 1
            else:
                disagreements.append({"report": path.name, "authority": row["local_authority"], "grade": key, "csv": grade, "extracted": found})
    return {
        "reports": reports,
        "grades_checked": checked,
        "grades_agreeing": agreed,
        "agreement": round(agreed / checked, 4) if checked else 0.0,
        "goal": 0.98,
        "disagreements": disagreements,
    }

