"""What grading a submission produced, as one type that every part of the grader reads.

The session fills a SubmissionResult with a TestResult per test; grade.py adds
what it knows of the hand-in and saves it as JSON (OUT/students/<name>/grading.json);
the gradebook, the feedback, Gradescope's results.json, the summary and the
report's figure are all drawn from it. `python -m grader check` uses the same
type for the public tests on a student's own code.
"""
import json
from dataclasses import asdict, dataclass, field

from grader.paths import MODULES


@dataclass
class TestResult:
    nodeid: str
    assignment: str  # the module the test is about: its file is test_<assignment>.py
    suite: str  # "public" or "hidden"
    name: str
    description: str  # the first line of its docstring, and its parameters
    max_score: float
    score: float
    message: str  # why it failed ("" for a pass)

    @property
    def failed(self):
        return self.score < self.max_score


@dataclass
class Score:
    points: float
    max_points: float

    @property
    def full(self):
        return self.points >= self.max_points


def total(tests):
    return Score(sum(t.score for t in tests), sum(t.max_score for t in tests))


def by_assignment(tests):
    """{assignment: Score} in course order (an assignment without tests scores 0 of 0)."""
    return {name: total([t for t in tests if t.assignment == name])
            for name in dict.fromkeys([*MODULES, *(t.assignment for t in tests)])}


def columns(results):
    """A class's scores by column: {each assignment in course order, then "total": [each result's Score]}."""
    table = {name: [] for name in [*MODULES, "total"]}
    for result in results:
        scores = result.scores()
        for name in MODULES:
            table[name].append(scores[name])
        table["total"].append(result.total())
    return table


@dataclass
class SubmissionResult:
    tests: list  # TestResults in the order they ran: every public suite before any hidden one
    output: str = ""  # what the submission printed before the first hidden test
    hidden_output: str = ""  # what it printed from then on: shown only with --reveal-hidden
    grader_errors: list = field(default_factory=list)  # the grader's own failures: then there is no grade
    stopped: str = ""  # why not every test ran (`check`: code that stopped pytest), or ""
    sandbox: str = ""  # the workers' sandbox: bwrap, user or none
    seccomp: bool = None  # whether every worker ran under the seccomp filter (None: no worker started)
    restarts: int = 0  # workers restarted because the submission's code crashed or hung
    execution_time: float = 0.0  # seconds, from the first worker's start to the last test
    # What grade.py adds from the hand-in:
    student: str = ""
    digest: str = ""  # of the files and the suites: an equal digest next run means "unchanged"
    problems: list = field(default_factory=list)  # what staging noticed: a notebook read, a file left out
    files: list = field(default_factory=list)  # the graded files' names
    reveal_hidden: bool = False  # whether the saved feedback shows the hidden tests' messages

    def scores(self):
        return by_assignment(self.tests)

    def total(self):
        return total(self.tests)

    def to_json(self):
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text):
        """The result `to_json` wrote. Raises ValueError for anything else (another version's file)."""
        try:
            data = json.loads(text)
            return cls(**dict(data, tests=[TestResult(**test) for test in data["tests"]]))
        except (TypeError, KeyError, RecursionError) as error:
            raise ValueError(f"not a submission's result: {error}") from None
