"""The floor for the speed benchmark: the suites run with plain pytest, in this process, on
submissions' modules imported directly (no worker, no sandbox).

    python bench/floor.py SUITE_FILES... -- SUBMISSION_DIR...

One pytest run per submission, one after another in this process: with one submission it is the
cold floor (a fresh process), with many the warm floor (as a warm grading session runs). Exits 1
unless every test passed on every submission, so a floor can never be fast by failing.
"""
import sys
from pathlib import Path

from grader import reference
from grader.paths import ASSIGNMENTS

sys.path.insert(0, str(ASSIGNMENTS))
from harness import register  # noqa: E402


class DirectModules:
    def __init__(self, directory):
        self.modules = reference.load(Path(directory))

    def module(self, name):
        return getattr(self.modules, name)


def run_many(suites, submissions):
    import pytest

    codes = [pytest.main(["-q", "-p", "no:cacheprovider", "--import-mode=importlib", "-o", "timeout=0", *suites],
                         plugins=[register(DirectModules(submission))]) for submission in submissions]
    return 0 if not any(codes) else 1


if __name__ == "__main__":
    split = sys.argv.index("--")
    sys.exit(run_many(sys.argv[1:split], sys.argv[split + 1:]))
