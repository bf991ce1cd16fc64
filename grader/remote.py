"""Handles onto a submission: module and function stand-ins whose calls run in the worker.

The tests get a `RemoteModule` where a student gets their own module. Every
attribute access and call becomes a request to the worker process (worker.py);
what comes back is decoded as plain data (wire.py). Whatever goes wrong on the
submission's side (an exception, a crash, a timeout, a value that may not
cross) fails the test that made the call with a message that says so; the
worker is restarted where needed and the remaining tests go on.
"""
import os
import select
import shutil
import signal
import subprocess
import threading
import time
import warnings

import pytest

from grader import cgroup, lifeline, sandbox, wire


# Warnings a call raised in the worker are raised again at the call in the test, so a
# test that turns warnings into errors (sigmoid must not overflow) sees them. Only
# these categories are named; any other comes back as a UserWarning.
WARNING_CATEGORIES = {cls.__name__: cls for cls in (
    RuntimeWarning, UserWarning, DeprecationWarning, FutureWarning, SyntaxWarning, ResourceWarning)}


class Output:
    """The submission's own prints and errors, kept up to a byte budget per part.

    Everything from the first hidden test on is kept apart, as the "hidden" part: it may show
    the hidden tests' inputs, and code that saw them could print them again at any later time.
    What arrives late from before the switch lands there too, which errs on the side of hiding.
    """

    def __init__(self, budget):
        self.budget = budget
        self.kept = {"shown": bytearray(), "hidden": bytearray()}
        self.dropped = {"shown": 0, "hidden": 0}
        self.part = "shown"
        self.lock = threading.Lock()

    def hide_from_now(self):
        with self.lock:
            self.part = "hidden"

    def drain(self, stream):
        for chunk in iter(lambda: stream.read1(65536), b""):
            with self.lock:
                kept = self.kept[self.part]
                room = max(0, self.budget - len(kept))
                kept += chunk[:room]
                self.dropped[self.part] += len(chunk) - min(room, len(chunk))

    def text(self, part="shown"):
        with self.lock:
            text = self.kept[part].decode("utf-8", errors="replace")
            if self.dropped[part]:
                text += f"\n[... {self.dropped[part]} more bytes of output cut]"
            return text


class Channel:
    """The worker's answer stream, read only while a request waits for its answer and only until
    a deadline: what student code writes on it otherwise stays in the pipe, unread."""

    def __init__(self, stream):
        self.fd = stream.fileno()
        self.deadline = 0.0

    def read(self, size):
        remaining = self.deadline - time.monotonic()
        if remaining <= 0 or not select.select([self.fd], [], [], remaining)[0]:
            raise TimeoutError
        return os.read(self.fd, size)


def failed(message):
    """The exception that fails the test making the call: `message`, and no traceback."""
    return pytest.fail.Exception(message, pytrace=False)


class Worker:
    """One running worker process over one submission folder."""

    def __init__(self, command, env, cwd, output, group):
        self.group = group
        if not group.folders:  # no cgroup to find the worker's descendants in: become their reaper
            lifeline.adopt_orphans()
        self.process = subprocess.Popen(group.command(command), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, env=env, cwd=cwd, start_new_session=True)
        self.answers = Channel(self.process.stdout)
        threading.Thread(target=output.drain, args=(self.process.stderr,), daemon=True).start()

    def ask(self, message, timeout):
        """The worker's next message (a dict): its answer to `message`, if it keeps to the protocol.
        Raises TimeoutError, ConnectionError, or ValueError for a message that is not plain data."""
        if message is not None:
            try:
                wire.write_message(self.process.stdin, message)
            except (BrokenPipeError, OSError) as error:
                raise ConnectionError(self.exit_description()) from error
        self.answers.deadline = time.monotonic() + timeout
        try:
            answer = wire.read_message(self.answers)
        except TimeoutError:
            raise
        except (EOFError, OSError) as error:  # it closed its end: it has ended or is ending
            raise ConnectionError(self.exit_description()) from error
        if type(answer) is not dict:
            raise ValueError(f"a message of type {type(answer).__name__}")
        return answer

    def exit_description(self):
        try:
            code = self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return "the submission's process stopped answering"
        if code < 0 or code > 128:
            number = -code if code < 0 else code - 128
            try:
                name = signal.Signals(number).name
            except ValueError:
                name = f"signal {number}"
            if name == "SIGKILL" and self.group.ran_out_of_memory():
                return "the submission's process was killed: it used more memory than it may (shared memory included)"
            return f"the submission's process was killed by {name}"
        return f"the submission's process exited with code {code}"

    def kill(self):
        """Kill the worker and everything it started, even what left its process group."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait()
        if self.group.folders:
            self.group.kill()
        else:
            lifeline.kill_descendants()
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass


class SandboxedSubmission:
    """The grader's side of one submission: starts, asks and restarts its worker.

    Its first worker may start before the submission is known (a spare, started while the
    session waits for its next job); `hand_in` gives it the files, which every worker of the
    submission receives over the wire before its first request.
    """

    def __init__(self, mode, limits, files=None):
        self.mode = mode
        self.limits = limits
        self.output = Output(limits.output_bytes)
        self.worker = None
        self.scratch = None
        self.ready = False
        self.spare = False
        self.seccomp = None
        self.next_id = 0
        self.answered_modules = set()
        self.broken_modules = {}
        self.timeouts = {}
        self.restarts = 0
        self.start_failure = None  # set when the worker died before any student code ran
        self.handed_in, self.file_messages = False, None
        if files is not None:
            self.hand_in(files)

    def hand_in(self, files):
        """The submission's files, {name: bytes}: from now on its time runs."""
        self.started = time.monotonic()
        self.handed_in = True
        try:
            self.file_messages = wire.file_messages(files)
        except ValueError as error:
            self.file_messages = None
            self.start_failure = f"the submission's files cannot reach its worker: {error}"

    def fits(self, mode, limits):
        """Whether this spare can take a job of `mode` and `limits`: its worker is still up."""
        return (self.mode, self.limits) == (mode, limits) and self.worker is not None and (
            self.worker.process.poll() is None)

    def spawn(self):
        """Start a worker without waiting for it: it starts up while pytest collects the tests, or
        before the submission is known."""
        self.scratch = sandbox.worker_folder(self.mode, self.limits.account)
        group = cgroup.create(self.limits.memory_bytes)
        try:
            command = sandbox.worker_command(self.mode, self.scratch, self.limits, group.bounds)
            env = {} if self.mode == "bwrap" else sandbox.worker_environment()
            self.worker = Worker(command, env, sandbox.folder(self.mode, self.scratch), self.output, group)
        except BaseException:
            group.kill()
            shutil.rmtree(self.scratch, ignore_errors=True)
            raise
        self.ready = False
        self.spare = not self.handed_in

    def _restart(self):
        """spawn() for a submission whose grading has begun: where no worker can be started (a full
        /tmp, no process left) that is the grader's failure, not a failed test."""
        try:
            self.spawn()
        except OSError as error:
            self.start_failure = f"the sandboxed worker could not start: {error}"
            raise failed(self.start_failure) from None

    def _await_ready(self):
        if self.file_messages is None:  # the files are too large to be sent
            self.close()
            raise failed(self.start_failure)
        try:
            hello = self.worker.ask(None, timeout=max(self.limits.call_seconds, 30))
            for message in self.file_messages:
                if "written" not in self.worker.ask(message, timeout=max(self.limits.call_seconds, 30)):
                    raise ValueError("no acknowledgement of the submission's files")
        except (TimeoutError, ConnectionError, ValueError) as error:
            self.close()
            if self.spare:  # it died while it waited for a submission: nobody's doing, start another
                self._restart()
                return self._await_ready()
            last_line = self.output.text().strip().splitlines()[-1:] or [""]
            self.start_failure = f"the sandboxed worker could not start: {str(error) or 'it timed out'}" + (
                f" ({last_line[0][:200]})" if last_line[0] else "")
            raise failed(self.start_failure)
        self.spare = False
        # False as soon as one of the submission's workers ran without the filter.
        self.seccomp = hello.get("seccomp") is True and self.seccomp is not False
        self.ready = True

    def close(self):
        if self.worker is not None:
            self.worker.kill()
            self.worker = None
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.scratch = None

    def request(self, op, module, name, args=(), kwargs=None):
        label = f"{name}()" if op == "call" else f"{module}.{name}"
        if module in self.broken_modules:
            raise failed(self.broken_modules[module])
        if self.timeouts.get((module, name), 0) >= 2:
            raise failed(f"{label} was not called: it timed out twice already")
        remaining = self.limits.submission_seconds - (time.monotonic() - self.started)
        if remaining <= 0:
            raise failed(f"{label} was not called: grading this submission stopped after "
                       f"{self.limits.submission_seconds:g} s")
        message = {"id": self.next_id, "op": op, "module": module, "name": name}
        if op == "call":
            message.update(args=wire.encode(list(args)), kwargs=wire.encode(kwargs or {}))
        self.next_id += 1
        if self.worker is None:
            self._restart()
        if not self.ready:
            self._await_ready()
        timeout = min(self.limits.call_seconds, remaining)
        try:
            answer = self.worker.ask(message, timeout)
        except TimeoutError:
            self.close()
            self.restarts += 1
            self.timeouts[(module, name)] = self.timeouts.get((module, name), 0) + 1
            problem = f"timed out after {timeout:g} s"
            raise self._gave_up(module, label, problem) from None
        except ConnectionError as error:
            description = str(error)
            self.close()
            self.restarts += 1
            raise self._gave_up(module, label, f"stopped the submission: {description}") from None
        except ValueError as error:  # the stream is out of step now: this worker is done for
            self.close()
            self.restarts += 1
            raise failed(f"{label} sent back a value that is not plain data ({error})")
        if answer.get("id") != message["id"]:
            self.close()
            raise failed(f"{label}: the submission's process answered out of turn")
        self.answered_modules.add(module)
        return self._value(op, module, name, label, answer)

    def _gave_up(self, module, label, problem):
        """The failure for a call the worker never answered."""
        if module not in self.answered_modules:
            # It never answered for this module: importing it is what hangs or crashes.
            self.broken_modules[module] = f"{module}.py could not be imported: importing it {problem}"
            return failed(self.broken_modules[module])
        return failed(f"{label} {problem}")

    def _value(self, op, module, name, label, answer):
        if "import_error" in answer:
            self.broken_modules[module] = str(answer["import_error"])
            raise failed(self.broken_modules[module])
        if "missing" in answer:
            raise failed(str(answer["missing"]))
        if "error" in answer:
            raise failed(f"{label} raised {answer['error']}")
        if "unsupported" in answer:
            raise failed(f"{label} returned an unsupported type {answer['unsupported']}")
        if op == "get" and answer.get("callable") is True:
            return RemoteFunction(self, module, name)
        try:
            value = wire.decode(answer["value"])
            raised = [(str(c), str(m)) for c, m in answer.get("warnings", [])][:10]
        except (KeyError, ValueError, TypeError) as error:
            raise failed(f"{label} sent back a value that is not plain data ({error})")
        for category, message in raised:
            warnings.warn(f"{label} warned: {message}",
                          WARNING_CATEGORIES.get(category, UserWarning), stacklevel=4)
        return value


class RemoteFunction:
    def __init__(self, submission, module, name):
        self.submission, self.module, self.name = submission, module, name
        self.__name__ = name

    def __call__(self, *args, **kwargs):
        return self.submission.request("call", self.module, self.name, args, kwargs)

    def __repr__(self):
        return f"<{self.module}.{self.name} in the submission>"


class RemoteModule:
    def __init__(self, submission, name):
        self._submission, self._name = submission, name
        self._functions = {}

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        if name in self._functions:
            return self._functions[name]
        value = self._submission.request("get", self._name, name)
        if isinstance(value, RemoteFunction):
            self._functions[name] = value
        return value

    def __repr__(self):
        return f"<module {self._name} of the submission>"


class Provider:
    """The pytest plugin the harness asks for modules (registered as 'nn-submission')."""

    def __init__(self, submission):
        self.submission = submission

    def module(self, name):
        return RemoteModule(self.submission, name)
