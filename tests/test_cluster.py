"""Grading on a Dask cluster: the same gradebook as local grading, a dead worker's task
graded elsewhere, mismatched suites refused, and no Dask at all without --scheduler."""
import csv
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from conftest import grade_folder, grader_without

from grader.paths import ROOT


def grade_command(submissions, out, *extra):
    return [sys.executable, "-m", "grader", "grade", str(submissions), "--out", str(out), *extra]


def rows(out):
    with (out / "grades.csv").open(newline="") as stream:
        return list(csv.reader(stream))


@pytest.fixture(scope="module")
def submissions(tmp_path_factory, solution_copy, stub_copy):
    root = tmp_path_factory.mktemp("submissions")
    for student in ("ada", "bea", "cy", "dee", "eli"):
        solution_copy(root / student)
    stub_copy(root / "stub")
    bug = root / "bea" / "activations.py"
    bug.write_text(bug.read_text().replace("np.asarray(z) >= 0, 1.0, 0.0", "np.asarray(z) > 0, 1.0, 0.0"))
    return root


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1",
                                  dashboard_address=None) as local:
        yield local


def test_cluster_gradebook_equals_local_grading(submissions, cluster, tmp_path):
    grade_folder(submissions, tmp_path / "local")
    result = subprocess.run(grade_command(submissions, tmp_path / "dask", "--scheduler", cluster.scheduler_address),
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert rows(tmp_path / "dask") == rows(tmp_path / "local")
    assert len(rows(tmp_path / "dask")) == 7


def test_a_killed_worker_loses_no_submission(submissions, cluster, tmp_path):
    from distributed import Client

    out = tmp_path / "out"
    process = subprocess.Popen(grade_command(submissions, out, "--scheduler", cluster.scheduler_address),
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with Client(cluster.scheduler_address) as client:
        deadline = time.monotonic() + 120
        while not any(client.processing().values()) and time.monotonic() < deadline:
            time.sleep(0.05)
        busy = [worker for worker, tasks in client.processing().items() if tasks]
        pids = client.run(os.getpid, workers=busy[:1])
        os.kill(next(iter(pids.values())), signal.SIGKILL)
    _, errors = process.communicate(timeout=600)
    assert process.returncode == 0, errors[-3000:]
    graded = rows(out)[1:]
    assert sorted(row[0] for row in graded) == sorted(p.name for p in submissions.iterdir())
    assert len({row[0] for row in graded}) == len(graded)


def test_workers_with_other_suites_are_refused(submissions, tmp_path):
    distributed = pytest.importorskip("distributed")
    copy = tmp_path / "other-course"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".git", "__pycache__", "*.egg-info", "out"))
    hidden = copy / "tests" / "hidden" / "test_activations.py"
    hidden.write_text(hidden.read_text() + "\n# an edit the client does not have\n")
    with distributed.LocalCluster(n_workers=0, host="127.0.0.1", dashboard_address=":0") as scheduler:
        worker = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", scheduler.scheduler_address,
                                   "--nworkers", "1", "--nthreads", "1", "--no-dashboard"], cwd=copy,
                                  env=dict(os.environ, PYTHONPATH=str(copy)), stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        try:
            with distributed.Client(scheduler.scheduler_address) as client:
                client.wait_for_workers(1, timeout=60)
            result = subprocess.run(grade_command(submissions, tmp_path / "out", "--scheduler",
                                                  scheduler.scheduler_address),
                                    cwd=ROOT, capture_output=True, text=True, timeout=300)
        finally:
            worker.terminate()
            worker.wait(timeout=60)
    assert result.returncode == 2
    assert "has other suites than this client" in result.stderr
    assert not (tmp_path / "out" / "grades.csv").exists()


def test_scheduler_without_the_extra_says_which_to_install(submissions, tmp_path):
    result = grader_without("distributed", ["grade", str(submissions), "--out", str(tmp_path / "out"),
                                     "--scheduler", "tcp://127.0.0.1:1"], tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "grader: error: --scheduler needs Dask's distributed: pip install -e \".[dask]\""]


def test_local_grading_imports_nothing_of_dask(tmp_path, solution_copy):
    solution_copy(tmp_path / "submissions" / "ada")
    result = grader_without("nothing_hidden", ["grade", str(tmp_path / "submissions"), "--out", str(tmp_path / "out")],
                     tmp_path)
    assert result.returncode == 0 and "IMPORTED []" in result.stdout
