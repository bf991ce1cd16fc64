"""Scoring a pytest run: every test carries its points, a skip earns nothing, a suite that
cannot be scored stops the run, and a failure caused by another module's function says so."""
import pytest
from conftest import made_test

from grader import outcomes


def write_suite(folder, body):
    path = folder / f"test_{folder.name}.py"  # a name of its own: pytest runs in this process again
    path.write_text("import pytest\n\n" + body)
    return [str(path)]


def test_a_test_without_points_is_an_error(tmp_path):
    files = write_suite(tmp_path, "@pytest.mark.points(2)\ndef test_marked():\n    pass\n\n"
                                  "def test_unmarked():\n    pass\n")
    with pytest.raises(outcomes.SuiteError, match="test_unmarked"):
        outcomes.run_quietly(files)


def test_a_test_skipped_inside_its_body_scores_nothing(tmp_path):
    files = write_suite(tmp_path, "@pytest.mark.points(2)\ndef test_skips():\n    pytest.skip('not today')\n\n"
                                  "@pytest.mark.points(1)\ndef test_passes():\n    pass\n")
    results = {r.name: r for r in outcomes.run_quietly(files)}
    assert (results["test_skips"].score, results["test_skips"].max_score) == (0.0, 2.0)
    assert "not today" in results["test_skips"].message
    assert results["test_passes"].score == 1.0


def test_a_suite_that_does_not_collect_is_an_error(tmp_path):
    files = write_suite(tmp_path, "@pytest.mark.points(2)\ndef test_broken(:\n    pass\n")
    with pytest.raises(outcomes.SuiteError, match=r"\.py: .*SyntaxError"):
        outcomes.run_quietly(files)


def result(assignment, name, failed):
    return made_test(f"test_{assignment}.py::{name}", assignment=assignment, name=name,
                     score=0.0 if failed else 1.0, message="it failed" if failed else "")


def test_the_course_imports_are_read_from_the_stubs():
    imports, functions = outcomes.course_imports()
    assert ("activations", "step") in imports["perceptron"]
    assert {"step", "sigmoid", "sigmoid_derivative"} <= functions["activations"]


def test_a_knock_on_failure_says_where_it_comes_from():
    results = [result("activations", "test_step_at_zero_is_one", True),
               result("activations", "test_returns_floats[step]", True),
               result("activations", "test_sigmoid_derivative_matches_reference[(7,)]", True),
               result("activations", "test_step_keeps_the_shape", False),
               result("perceptron", "test_train_perceptron_learns_and", True),
               result("perceptron", "test_weighted_sum_of_a_batch", False),
               result("gradient_descent", "test_gradient_matches_reference", True),
               result("perceptron", "test_weighted_sum_of_one_sample", True)]
    results[-1].message = "perceptron.py could not be imported: SyntaxError"
    by_name = {r.name: r for r in outcomes.note_knock_on_failures(results)}
    assert by_name["test_train_perceptron_learns_and"].message == (
        "perceptron uses your activations.step, which fails 2 of its tests: fix it first.\nit failed")
    assert by_name["test_weighted_sum_of_a_batch"].message == ""
    # sigmoid_derivative fails, sigmoid does not: gradient_descent's failure is its own
    assert by_name["test_gradient_matches_reference"].message == "it failed"
    assert by_name["test_step_at_zero_is_one"].message == "it failed"
    assert by_name["test_weighted_sum_of_one_sample"].message == "perceptron.py could not be imported: SyntaxError"


def test_a_run_that_stops_inside_pytest_is_an_error(tmp_path):
    class Broken:
        def pytest_configure(self, config):
            raise RuntimeError("a hook that breaks")

    files = write_suite(tmp_path, "@pytest.mark.points(1)\ndef test_fine():\n    pass\n")
    with pytest.raises(outcomes.SuiteError, match="INTERNAL_ERROR"):
        outcomes.run_quietly(files, plugins=[Broken()])
