"""The hidden suites score every correct implementation full marks and catch real mistakes.

Every variant in variants.py becomes a submission: the reference solutions
with one module edited. All of them are graded in one run, through the real
grader and sandbox.
"""
import ast

import pytest
from conftest import grade_folder
from variants import BUGGY, CORRECT

from grader.paths import MODULES, SOLUTIONS


@pytest.fixture(scope="module")
def graded(tmp_path_factory, solution_copy, stub_copy):
    submissions = tmp_path_factory.mktemp("variants")
    solution_copy(submissions / "reference")
    stub_copy(submissions / "stubs")
    broken = solution_copy(submissions / "broken_gradient_descent")
    (broken / "gradient_descent.py").write_text("def batch_gradient_descent(X, y\n")
    for variant in BUGGY + CORRECT:
        folder = solution_copy(submissions / variant.name)
        path = folder / f"{variant.module}.py"
        path.write_text(variant.apply((SOLUTIONS / f"{variant.module}.py").read_text()))
    results, failures = grade_folder(submissions, tmp_path_factory.mktemp("out"))
    assert failures == []
    return results


def scores(result):
    return result.scores()


def test_reference_scores_full_marks(graded):
    result = graded["reference"]
    lost = [f"{t.nodeid}: {t.message}" for t in result.tests if t.score < t.max_score]
    assert lost == []
    assert all(scores(result)[m].max_points > 0 for m in MODULES)


def test_stubs_score_nothing_and_say_why(graded):
    result = graded["stubs"]
    assert result.total().points == 0
    public = [t for t in result.tests if t.suite == "public"]
    assert public and all("NotImplementedError" in t.message for t in public)


def test_there_are_enough_buggy_variants():
    assert len(BUGGY) >= 25
    assert sum(v.module == "multiclass" for v in BUGGY) >= 10
    assert {v.module for v in BUGGY} == set(MODULES)


@pytest.mark.parametrize("variant", BUGGY, ids=lambda v: v.name)
def test_buggy_variant_loses_points_on_its_module(graded, variant):
    result = graded[variant.name]
    lost = scores(result)[variant.module]
    assert lost.points < lost.max_points, f"{variant.name} scored full marks on {variant.module}"
    spread = {variant.module} | importers(variant.module)
    others = {m: s for m, s in scores(result).items() if m not in spread and not s.full}
    assert others == {}


def importers(module):
    """The modules whose solution imports `module` (at the top or inside a function): its bugs spread to them."""
    found = set()
    for name in MODULES:
        tree = ast.parse((SOLUTIONS / f"{name}.py").read_text())
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        if module in imported:
            found.add(name)
    return found


def lost_multiclass_tests(result):
    return [t for t in result.tests if t.assignment == "multiclass" and t.score < t.max_score]


@pytest.mark.parametrize("variant", [v for v in BUGGY if v.module == "gradient_descent"], ids=lambda v: v.name)
def test_a_gradient_descent_bug_costs_only_one_vs_rest_and_says_why(graded, variant):
    for test in lost_multiclass_tests(graded[variant.name]):
        assert "one_vs_rest" in test.nodeid, test.nodeid
        says = test.message.splitlines()[0 if test.suite == "public" else -1]  # the call, or the added line
        assert "gradient_descent.batch_gradient_descent" in says, test.message


def test_a_broken_gradient_descent_costs_only_one_vs_rest_and_says_why(graded):
    lost = lost_multiclass_tests(graded["broken_gradient_descent"])
    assert lost and all("one_vs_rest" in t.nodeid for t in lost)
    one_vs_rest = [t for t in graded["broken_gradient_descent"].tests if "train_one_vs_rest" in t.nodeid]
    assert {t.nodeid for t in one_vs_rest} <= {t.nodeid for t in lost}
    assert all("SyntaxError" in t.message and "(gradient_descent.py, line 1)" in t.message for t in one_vs_rest)


@pytest.mark.parametrize("variant", CORRECT, ids=lambda v: v.name)
def test_correct_variant_scores_full_marks(graded, variant):
    result = graded[variant.name]
    lost = [f"{t.nodeid}: {t.message}" for t in result.tests if t.score < t.max_score]
    assert lost == []
