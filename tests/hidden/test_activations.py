import numpy as np
import pytest
from harness import expect, show


@pytest.mark.points(2)
def test_step_at_zero(activations):
    """step(0) is 1"""
    expect(activations.step(np.array([0.0])), np.array([1.0]), "step(array([0.]))")
