"""How fast the grader is, against the floor of running the same suites with plain pytest.

    python bench/grading_speed.py [--submissions 20] [--repeat 3]

Prints, as a markdown table:
- floor: one fresh `pytest` process running the public and hidden suites
  directly on a submission's code (no worker, no sandbox, and like the grader's
  sessions no plugins autoloaded from the environment), per submission;
- warm floor: one long-lived process running the same suites in-process over
  each of the N submissions in turn, per submission;
- grader: `python -m grader grade` on a folder holding that one submission
  (sandbox as installed), and per submission within a run of N with one
  worker (the run's time / N: start-up, summary and report.png are paid
  once per run, not per submission), each against the floor;
- throughput: N submissions graded with --workers 1 and --workers 2.
Every run uses --force so nothing is skipped as unchanged.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader import sandbox  # noqa: E402
from grader.session import suite_files  # noqa: E402

EXAMPLE = ROOT / "examples" / "submissions" / "ada"


def timed(command, env=None):
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def floor(submissions):
    """One plain pytest process running the suites on each of `submissions` in turn."""
    env = dict(os.environ, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1",
               PYTHONPATH=os.pathsep.join([str(ROOT / "bench"), str(ROOT)]))
    return timed([sys.executable, str(ROOT / "bench" / "floor.py"), *suite_files(), "--",
                  *map(str, submissions)], env)


def grade(folder, out, workers):
    return timed([sys.executable, "-m", "grader", "grade", str(folder), "--out", str(out), "--force",
                  "--workers", str(workers)])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--submissions", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        one = scratch / "one"
        shutil.copytree(EXAMPLE, one / "ada")
        many = scratch / "many"
        for i in range(args.submissions):
            shutil.copytree(EXAMPLE, many / f"student{i:03d}")
        floors = [floor([one / "ada"]) for _ in range(args.repeat)]
        warm = floor(sorted(many.iterdir())) / args.submissions
        singles = [grade(one, scratch / "out1", 1) for _ in range(args.repeat)]
        serial = grade(many, scratch / "out2", 1)
        parallel = grade(many, scratch / "out3", 2)
    mode = sandbox.choose("auto")
    print(f"| measure ({os.cpu_count()} CPUs, sandbox: {mode}) | seconds |")
    print("|---|---|")
    print(f"| floor: plain pytest on one submission (median of {args.repeat}) | {statistics.median(floors):.2f} |")
    print(f"| grader on one submission (median of {args.repeat}) | {statistics.median(singles):.2f} |")
    floor_time = statistics.median(floors)
    print(f"| ratio grader / floor, one-submission run | {statistics.median(singles) / floor_time:.2f} |")
    print(f"| grader per submission in a run of {args.submissions}, --workers 1 | {serial / args.submissions:.2f} |")
    print(f"| ratio grader / floor, per submission in that run | {serial / args.submissions / floor_time:.2f} |")
    print(f"| warm floor: one plain pytest process over the {args.submissions}, per submission | {warm:.2f} |")
    print(f"| ratio grader / warm floor, per submission in the run of {args.submissions} | "
          f"{serial / args.submissions / warm:.2f} |")
    print(f"| {args.submissions} submissions, --workers 1 | {serial:.2f} |")
    print(f"| {args.submissions} submissions, --workers 2 | {parallel:.2f} |")
    print(f"| speed-up 2 workers / 1 | {serial / parallel:.2f} |")


if __name__ == "__main__":
    main()
