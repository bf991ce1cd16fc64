"""The reference solutions, imported for the hidden tests to compare against.

They import each other by plain name (`from activations import sigmoid`), as
a student's modules do. To keep those plain names from clashing with anything
else in the grader's process, each is loaded under a private name while the
plain names point at the reference modules only for the time of the import.
"""
import importlib.util
import sys
from types import SimpleNamespace

from grader.paths import MODULES, SOLUTIONS


def load(directory=SOLUTIONS, modules=MODULES):
    """A namespace with one attribute per module, e.g. reference.activations.sigmoid."""
    loaded = {}
    saved = {name: sys.modules.get(name) for name in modules}
    try:
        for name in modules:
            spec = importlib.util.spec_from_file_location(f"_reference_{name}", directory / f"{name}.py")
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            spec.loader.exec_module(module)
            loaded[name] = module
    finally:
        for name, previous in saved.items():
            if previous is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = previous
    return SimpleNamespace(**loaded)
