"""Grading on a Dask LocalCluster beside grading locally, on the same submissions.

    python bench/dask_vs_local.py [--submissions 20] [--workers 2]

Needs the dask extra. Both runs use --force; the cluster runs on loopback with
--workers Dask workers of one thread each, the local run with --workers threads.
"""
import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from distributed import LocalCluster

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "submissions" / "ada"


def timed(command):
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--submissions", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "submissions"
        for i in range(args.submissions):
            shutil.copytree(EXAMPLE, folder / f"student{i:03d}")
        grade = [sys.executable, "-m", "grader", "grade", str(folder), "--force"]
        local = timed([*grade, "--out", f"{scratch}/local", "--workers", str(args.workers)])
        with LocalCluster(n_workers=args.workers, threads_per_worker=1, host="127.0.0.1",
                          dashboard_address=":0") as cluster:
            dask = timed([*grade, "--out", f"{scratch}/dask", "--scheduler", cluster.scheduler_address])
        gradebooks = [(Path(scratch) / run / "grades.csv").read_text() for run in ("local", "dask")]
        same = gradebooks[0] == gradebooks[1]
    print(f"| {args.submissions} submissions | seconds |")
    print("|---|---|")
    print(f"| local, --workers {args.workers} | {local:.2f} |")
    print(f"| Dask LocalCluster, {args.workers} workers x 1 thread | {dask:.2f} |")
    print(f"| same grades.csv | {'yes' if same else 'NO'} |")


if __name__ == "__main__":
    main()
