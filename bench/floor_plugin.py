"""pytest plugin for the floor measurement: hands the suites a submission's modules
imported directly into the test process (no worker, no sandbox).

    NN_FLOOR_DIR=path/to/submission python -m pytest -p floor_plugin ...

    python bench/floor_plugin.py SUITE_FILES... -- SUBMISSION_DIR...

The second form is the warm floor: one long-lived process running the suites
in-process over each submission in turn, as a warm grading session does.
"""
import os
import sys
from pathlib import Path

from grader import reference


class DirectModules:
    def __init__(self, directory):
        self.modules = reference.load(Path(directory))

    def module(self, name):
        return getattr(self.modules, name)


def pytest_configure(config):
    if "NN_FLOOR_DIR" in os.environ:
        config.pluginmanager.register(DirectModules(os.environ["NN_FLOOR_DIR"]), "nn-submission")


def run_many(suites, submissions):
    import pytest

    for submission in submissions:
        pytest.main(["-q", "-p", "no:cacheprovider", "--import-mode=importlib", "-o", "timeout=0", *suites],
                    plugins=[DirectModules(submission)])


if __name__ == "__main__":
    split = sys.argv.index("--")
    run_many(sys.argv[1:split], sys.argv[split + 1:])
