"""Dataset N (national), scaled: `python -m bench.national --scale S` inside bench/run.py's environment (S2 only).

The issue's N is 2,000,000 people and ten times the rest of P. This builds it at the same --scale as P: 20 x P's
people (through seed_demo's bulk path, in the same demo tree of 164 units), 10 x P's courses and 10 x P's
enrolments (10 per person instead of P's 20), with their assignments and the rollups. No quiz attempts or answers:
the national summary (the statistics dashboard at the root scope, S2) reads the people, the enrolments and the
rollups only. Reuses bench.dataset's generators unchanged. Prints one JSON line like bench.dataset.
"""

from __future__ import annotations

import argparse
import json
import os
import time

from bench import dataset  # sets Django up
from django.core.management import call_command  # noqa: E402


def sizes(scale: float) -> dict[str, int]:
    p = dataset.sizes(scale)
    return {"people": 20 * p["people"], "courses": 10 * p["courses"],
            "enrolments_per_person": p["enrolments_per_person"] // 2}  # 10 x the enrolments over 20 x the people


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    size = sizes(args.scale)
    timings: dict[str, float] = {}
    started = time.monotonic()
    call_command("seed_demo", people=size["people"], verbosity=0, stdout=open(os.devnull, "w"))
    started = dataset.step(timings, "people (seed_demo bulk path)", started)
    call_command("seed_demo_courses", verbosity=0, stdout=open(os.devnull, "w"))
    call_command("seed_demo_learning", verbosity=0, stdout=open(os.devnull, "w"))
    started = dataset.step(timings, "demo courses", started)
    dataset.extra_courses(size["courses"])
    started = dataset.step(timings, "courses (generate_series)", started)
    enrolled = dataset.enrolments(size["enrolments_per_person"], exam_course=0)
    started = dataset.step(timings, "enrolments and assignments (generate_series)", started)
    dataset.sql("ANALYZE")
    from reports.rollups import rollups_rebuild

    rollups_rebuild()
    dataset.step(timings, "rollups_rebuild", started)
    counts = {
        table: dataset.scalar(f"SELECT count(*) FROM {table}")
        for table in ("organisations_person", "organisations_organisationunit", "courses_course", "courses_enrolment",
                      "courses_assignment", "reports_dailyfigures", "reports_monthlyfigures")
    }
    print(json.dumps({"scale": args.scale, "national": True, "sizes": size, "timings": timings, "counts": counts,
                      "enrolments_created": enrolled}))


if __name__ == "__main__":
    main()
