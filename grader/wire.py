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
import struct

import numpy as np

HEADER = struct.Struct("<Q")
MAX_MESSAGE = 256 * 1024 * 1024
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


def decode(data, depth=0):
    """The plain value behind encode()'s form. Raises ValueError on anything malformed."""
    if depth > MAX_DEPTH:
        raise ValueError("nested too deeply")
    if data is None or type(data) in (bool, int, float, str):
        return data
    if type(data) is list:
        return [decode(item, depth + 1) for item in data]
    if type(data) is not dict or len(data) not in (1, 3):
        raise ValueError(f"malformed value of type {type(data).__name__}")
    if set(data) == {"$tuple"} and type(data["$tuple"]) is list:
        return tuple(decode(item, depth + 1) for item in data["$tuple"])
    if set(data) == {"$dict"} and type(data["$dict"]) is list:
        pairs = data["$dict"]
        if not all(type(p) is list and len(p) == 2 and type(p[0]) is str for p in pairs):
            raise ValueError("malformed dict")
        return {key: decode(item, depth + 1) for key, item in pairs}
    if set(data) == {"$array", "dtype", "shape"}:
        dtype = np.dtype(str(data["dtype"]))
        shape = data["shape"]
        if dtype.kind not in ARRAY_KINDS or dtype.fields is not None or dtype.subdtype is not None:
            raise ValueError(f"arrays of dtype {dtype} may not cross")
        if type(shape) is not list or not all(type(n) is int and n >= 0 for n in shape):
            raise ValueError("malformed array shape")
        raw = base64.b64decode(data["$array"], validate=True)
        if len(raw) != dtype.itemsize * int(np.prod(shape, dtype=np.int64)):
            raise ValueError("array data does not match its shape")
        return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    raise ValueError("malformed value")


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
    (size,) = HEADER.unpack(read_exactly(stream, HEADER.size))
    if size > MAX_MESSAGE:
        raise ValueError(f"a message of {size} bytes is over the limit of {MAX_MESSAGE}")
    return json.loads(read_exactly(stream, size).decode("utf-8"))
