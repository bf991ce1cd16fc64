"""From test results to scores: per assignment, in total, and across the class."""
import statistics
from dataclasses import dataclass

from grader.paths import MODULES


@dataclass
class Score:
    points: float
    max_points: float

    @property
    def full(self):
        return self.points >= self.max_points


def by_assignment(tests):
    """{assignment: Score} in course order, from a list of test-result dicts."""
    scores = {name: Score(0.0, 0.0) for name in MODULES}
    for test in tests:
        score = scores.setdefault(test["assignment"], Score(0.0, 0.0))
        score.points += test["score"]
        score.max_points += test["max_score"]
    return scores


def total(tests):
    return Score(sum(t["score"] for t in tests), sum(t["max_score"] for t in tests))


def class_summary(records):
    """Per assignment (and 'total'): mean, median, full-marks count and maximum; and the
    tests most often failed, as (failures, test dict) pairs."""
    rows = {}
    for assignment in [*MODULES, "total"]:
        scores = [by_assignment(r["tests"])[assignment] if assignment != "total" else total(r["tests"])
                  for r in records]
        if scores:
            points = [s.points for s in scores]
            rows[assignment] = {"mean": statistics.fmean(points), "median": statistics.median(points),
                                "full": sum(s.full for s in scores), "max": scores[0].max_points}
    failures = {}
    for record in records:
        for test in record["tests"]:
            if test["score"] < test["max_score"]:
                count, _ = failures.get(test["nodeid"], (0, test))
                failures[test["nodeid"]] = (count + 1, test)
    most_failed = sorted(failures.values(), key=lambda pair: (-pair[0], pair[1]["nodeid"]))
    return rows, most_failed
