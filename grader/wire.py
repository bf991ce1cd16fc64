"""What crosses between the grader and a submission's worker: plain data only.

Messages are length-prefixed JSON. Values are None, bools, numbers, strings,
lists, tuples, dicts with string keys, and numpy arrays of booleans, integers
or floats (their raw bytes, base64). Nothing is unpickled, no class is named
by the sender: `decode` builds only those types, so a value that comes back
from a submission cannot carry behaviour of its own (a rigged __eq__, an
ndarray subclass) into the process that decides the score.

This file runs inside the sandbox too (next to worker.py): standard library
and numpy only.
"""
import base64
import json
import math
import struct

import numpy as np

HEADER = struct.Struct("<Q")
# Grading the solutions, the largest answer is 110 KB (a training run's 5,000 losses), with 5,000
# commas and 18 brackets; the largest request 3 KB. A message is parsed only under both caps, so
# what a forged one can make the grader build stays a few times its size.
MAX_MESSAGE = 4 * 1024 ** 2
MAX_ITEMS = 100_000  # '[', '{' and ',' in a message: a bound on the values json builds from it
MAX_DEPTH = 32
ARRAY_KINDS = "biuf"


class Unsupported(TypeError):
    """A value of a type that may not cross; its message is the type's name."""


def _encode(value, depth):
    if depth > MAX_DEPTH:
        raise Unsupported("a structure nested too deeply")
    if value is None or isinstance(value, (bool, str)):
        return value
    if type(value) in (int, float):
        return value
    if isinstance(value, np.generic) and value.dtype.kind in ARRAY_KINDS:
        return value.item()
    if type(value) is np.ndarray and value.dtype.kind in ARRAY_KINDS:
        data = value if value.flags.c_contiguous else value.copy(order="C")
        return {"$array": base64.b64encode(data.tobytes()).decode("ascii"),
                "dtype": data.dtype.str, "shape": list(data.shape)}
    if type(value) in (list, tuple):
        items = [_encode(item, depth + 1) for item in value]
        return items if type(value) is list else {"$tuple": items}
    if type(value) is dict:
        if not all(type(key) is str for key in value):
            raise Unsupported("dict with keys that are not strings")
        return {"$dict": [[key, _encode(item, depth + 1)] for key, item in value.items()]}
    if isinstance(value, np.ndarray):
        raise Unsupported(f"{type(value).__module__}.{type(value).__qualname__} "
                          f"(an array of dtype {value.dtype})")
    raise Unsupported(f"{type(value).__module__}.{type(value).__qualname__}")


def encode(value):
    """JSON-ready form of a plain value; raises Unsupported for anything else."""
    return _encode(value, 0)


def decode(data):
    """The plain value behind encode()'s form. Raises ValueError on anything malformed."""
    try:
        return _decode(data, 0)
    except (TypeError, OverflowError) as error:  # np.dtype() of junk, a size past numpy's
        raise ValueError(f"malformed value ({error})") from None


def _decode(data, depth):
    if depth > MAX_DEPTH:
        raise ValueError("nested too deeply")
    if data is None or type(data) in (bool, int, float, str):
        return data
    if type(data) is list:
        return [_decode(item, depth + 1) for item in data]
    if type(data) is not dict or len(data) not in (1, 3):
        raise ValueError(f"malformed value of type {type(data).__name__}")
    if set(data) == {"$tuple"} and type(data["$tuple"]) is list:
        return tuple(_decode(item, depth + 1) for item in data["$tuple"])
    if set(data) == {"$dict"} and type(data["$dict"]) is list:
        pairs = data["$dict"]
        if not all(type(p) is list and len(p) == 2 and type(p[0]) is str for p in pairs):
            raise ValueError("malformed dict")
        return {key: _decode(item, depth + 1) for key, item in pairs}
    if set(data) == {"$array", "dtype", "shape"}:
        return _array(data["$array"], data["dtype"], data["shape"])
    raise ValueError("malformed value")


def _array(encoded, dtype, shape):
    if type(encoded) is not str or type(dtype) is not str:
        raise ValueError("malformed array")
    dtype = np.dtype(dtype)
    if dtype.kind not in ARRAY_KINDS or dtype.fields is not None or dtype.subdtype is not None:
        raise ValueError(f"arrays of dtype {dtype} may not cross")
    # No dimension can be longer than a message, nor are there more than nesting allows.
    if type(shape) is not list or len(shape) > MAX_DEPTH or not all(
            type(n) is int and 0 <= n <= MAX_MESSAGE for n in shape):
        raise ValueError("malformed array shape")
    raw = base64.b64decode(encoded, validate=True)
    if len(raw) != dtype.itemsize * math.prod(shape):
        raise ValueError("array data does not match its shape")
    return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()


def file_messages(files):
    """The messages that hand a worker the files {name: bytes}, as few as the caps allow: each
    {"op": "files", "files": [[name, base64 bytes], ...]}. Raises ValueError naming a file
    too large to cross in a message of its own."""
    messages, size, items = [], MAX_MESSAGE, MAX_ITEMS
    for name, data in sorted(files.items()):
        entry = [name, base64.b64encode(data).decode("ascii")]
        text = json.dumps(entry)
        # Names are the student's: '[', '{' and ',' in them count towards the reader's cap on values.
        entry_size, entry_items = len(text) + 2, sum(map(text.count, "[{,")) + 1
        if entry_size > MAX_MESSAGE - 64:
            raise ValueError(f"{name} holds {len(data)} bytes, more than a message to the worker can carry "
                             f"({MAX_MESSAGE} bytes, base64)")
        if size + entry_size > MAX_MESSAGE - 64 or items + entry_items > MAX_ITEMS - 8:
            messages.append({"op": "files", "files": []})
            size = items = 0
        messages[-1]["files"].append(entry)
        size += entry_size
        items += entry_items
    return messages


def write_message(stream, message):
    body = json.dumps(message, allow_nan=True).encode("utf-8")
    stream.write(HEADER.pack(len(body)) + body)
    stream.flush()


def read_exactly(stream, size):
    chunks, remaining = [], size
    while remaining:
        chunk = stream.read(remaining)
        if not chunk:
            raise EOFError("the other side closed the connection")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_message(stream):
    """The next message on `stream` (anything with read(n)). Raises EOFError when it is closed,
    ValueError for a message over the caps or not JSON, before json builds anything of it."""
    (size,) = HEADER.unpack(read_exactly(stream, HEADER.size))
    if size > MAX_MESSAGE:
        raise ValueError(f"a message of {size} bytes is over the limit of {MAX_MESSAGE}")
    body = read_exactly(stream, size)
    items = body.count(b"[") + body.count(b"{") + body.count(b",")
    if items > MAX_ITEMS:
        raise ValueError(f"a message of over {MAX_ITEMS} values")
    try:
        return json.loads(body.decode("utf-8"))
    except RecursionError:
        raise ValueError("a message nested too deeply") from None
