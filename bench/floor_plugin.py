"""pytest plugin for the floor measurement: hands the suites a submission's modules
imported directly into the test process (no worker, no sandbox).

    NN_FLOOR_DIR=path/to/submission python -m pytest -p floor_plugin ...
"""
import os
from pathlib import Path

from grader import reference


class DirectModules:
    def __init__(self, directory):
        self.modules = reference.load(Path(directory))

    def module(self, name):
        return getattr(self.modules, name)


def pytest_configure(config):
    config.pluginmanager.register(DirectModules(os.environ["NN_FLOOR_DIR"]), "nn-submission")
