"""The reference solutions, imported for the hidden tests to compare against.

They import each other by plain name (`from activations import sigmoid`), as
a student's modules do, also inside functions, when they are called
(multiclass.train_one_vs_rest imports gradient_descent so). To keep those plain
names from clashing with anything else in the grader's process, each module is
loaded under a private name, and its own `__import__` resolves the plain names
of the modules loaded with it to those, at import and at call time alike;
sys.modules never holds them.
"""
import builtins
import importlib.util
from types import SimpleNamespace

from grader.paths import MODULES, SOLUTIONS


def load(directory=SOLUTIONS, modules=MODULES):
    """A namespace with one attribute per module, e.g. reference.activations.sigmoid."""
    loaded = {}

    def import_loaded_first(name, globals=None, locals=None, fromlist=(), level=0):
        if level == 0 and name in loaded:
            return loaded[name]
        return builtins.__import__(name, globals, locals, fromlist, level)

    own_builtins = {**vars(builtins), "__import__": import_loaded_first}
    for name in modules:
        spec = importlib.util.spec_from_file_location(f"_reference_{name}", directory / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        module.__builtins__ = own_builtins
        spec.loader.exec_module(module)
        loaded[name] = module
    return SimpleNamespace(**loaded)
