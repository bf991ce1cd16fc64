"""Hands the public tests the modules they check (see harness.py)."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from harness import (  # noqa: E402,F401  (fixtures and hooks pytest finds here)
    activations, gradient_descent, multiclass, perceptron, pytest_configure, xor_network)
