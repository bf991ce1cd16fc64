"""Where the course lives inside the repository."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
ASSIGNMENTS = ROOT / "assignments"
HIDDEN = ROOT / "tests" / "hidden"

# In dependency order: each module may import the ones before it.
MODULES = ("activations", "perceptron", "gradient_descent", "xor_network", "multiclass")
