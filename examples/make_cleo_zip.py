"""Rebuild examples/submissions/cleo.zip: a student who zipped her whole clone with the
untouched stubs. Run it after `python -m grader build` changes the stubs:

    python examples/make_cleo_zip.py
"""
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = ("activations", "perceptron", "gradient_descent", "xor_network", "multiclass")
ZIP = ROOT / "examples" / "submissions" / "cleo.zip"


def members():
    """{name in the zip: text}: the stubs and public tests, as in a fresh clone."""
    files = {}
    for module in MODULES:
        for name in (f"{module}.py", f"test_{module}.py"):
            files[f"nn-course/assignments/{name}"] = (ROOT / "assignments" / name).read_text()
    return files


if __name__ == "__main__":
    with zipfile.ZipFile(ZIP, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members().items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), text)
    print(f"wrote {ZIP}")
