"""Fixtures for the hidden suites: the module under test (see assignments/harness.py)
and `reference`, the reference solutions to compare it with."""
import sys

import pytest

from grader import reference as reference_solutions
from grader.paths import ASSIGNMENTS

if str(ASSIGNMENTS) not in sys.path:
    sys.path.insert(0, str(ASSIGNMENTS))

from harness import (  # noqa: E402,F401  (fixtures and hooks pytest finds here)
    activations, gradient_descent, multiclass, perceptron, pytest_configure, xor_network)


@pytest.fixture(scope="session")
def reference():
    return reference_solutions.shared()
