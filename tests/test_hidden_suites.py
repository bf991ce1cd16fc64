"""The hidden suites score every correct implementation full marks and catch real mistakes.

Every variant in variants.py becomes a submission: the reference solutions
with one module edited. All of them are graded in one run, through the real
grader and sandbox.
"""
import pytest
from conftest import grade_folder
from variants import BUGGY, CORRECT

from grader import scoring
from grader.paths import MODULES, SOLUTIONS


@pytest.fixture(scope="module")
def graded(tmp_path_factory, solution_copy, stub_copy):
    submissions = tmp_path_factory.mktemp("variants")
    solution_copy(submissions / "reference")
    stub_copy(submissions / "stubs")
    for variant in BUGGY + CORRECT:
        folder = solution_copy(submissions / variant.name)
        path = folder / f"{variant.module}.py"
        path.write_text(variant.apply((SOLUTIONS / f"{variant.module}.py").read_text()))
    records, failures = grade_folder(submissions, tmp_path_factory.mktemp("out"))
    assert failures == []
    return records


def scores(record):
    return scoring.by_assignment(record["tests"])


def test_reference_scores_full_marks(graded):
    record = graded["reference"]
    lost = [f"{t['nodeid']}: {t['message']}" for t in record["tests"] if t["score"] < t["max_score"]]
    assert lost == []
    assert all(scores(record)[m].max_points > 0 for m in MODULES)


def test_stubs_score_nothing_and_say_why(graded):
    record = graded["stubs"]
    assert scoring.total(record["tests"]).points == 0
    public = [t for t in record["tests"] if t["suite"] == "public"]
    assert public and all("NotImplementedError" in t["message"] for t in public)


def test_there_are_enough_buggy_variants():
    assert len(BUGGY) >= 25
    assert {v.module for v in BUGGY} == set(MODULES)


@pytest.mark.parametrize("variant", BUGGY, ids=lambda v: v.name)
def test_buggy_variant_loses_points_on_its_module(graded, variant):
    record = graded[variant.name]
    lost = scores(record)[variant.module]
    assert lost.points < lost.max_points, f"{variant.name} scored full marks on {variant.module}"
    if variant.module != "activations":  # the others import activations, so only its bugs spread
        others = {m: s for m, s in scores(record).items() if m != variant.module and not s.full}
        assert others == {}


@pytest.mark.parametrize("variant", CORRECT, ids=lambda v: v.name)
def test_correct_variant_scores_full_marks(graded, variant):
    record = graded[variant.name]
    lost = [f"{t['nodeid']}: {t['message']}" for t in record["tests"] if t["score"] < t["max_score"]]
    assert lost == []
