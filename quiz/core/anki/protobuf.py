"""A tiny protobuf wire-format decoder: enough for the few fields quiz reads from Anki's files.

Three wire types carry what quiz needs: varints (0: ints, bools, enums), length-delimited values (2: strings,
bytes, nested messages, packed repeated numbers) and 32-bit values (5: floats, Anki's deck options). Fixed
64-bit values (1) are skipped. Field numbers are those of Anki's .proto files, named where they are used.
"""

from __future__ import annotations

import struct

VARINT, FIXED64, LENGTH, FIXED32 = 0, 1, 2, 5

Fields = dict[int, list[int | bytes | float]]
_LARGEST_FLOAT = struct.unpack("<f", b"\xff\xff\x7f\x7f")[0]  # the largest finite 32-bit float


class ProtobufError(ValueError):
    """The bytes are not a protobuf message."""


def _varint(data: bytes, position: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if position >= len(data):
            raise ProtobufError("a varint runs past the end")
        byte = data[position]
        position += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, position
        shift += 7
        if shift > 63:
            raise ProtobufError("a varint is longer than 10 bytes")


def decode(data: bytes) -> Fields:
    """Field number -> its values in order (repeated fields have several); unknown wire types are an error."""
    fields: Fields = {}
    position = 0
    while position < len(data):
        key, position = _varint(data, position)
        number, wire = key >> 3, key & 7
        value: int | bytes | float
        if wire == VARINT:
            value, position = _varint(data, position)
        elif wire == LENGTH:
            length, position = _varint(data, position)
            if position + length > len(data):
                raise ProtobufError("a length-delimited field runs past the end")
            value, position = data[position : position + length], position + length
        elif wire in (FIXED64, FIXED32):
            size = 8 if wire == FIXED64 else 4
            if position + size > len(data):
                raise ProtobufError("a fixed-size field runs past the end")
            position += size
            if wire == FIXED64:
                continue
            value = _shortest(struct.unpack_from("<f", data, position - size)[0])
        else:
            raise ProtobufError(f"unknown wire type {wire}")
        fields.setdefault(number, []).append(value)
    return fields


def _shortest(single: float) -> float:
    """A 32-bit float as the shortest decimal that is the same float (0.85, not 0.8500000238418579), as Anki
    shows and exports it."""
    packed = struct.pack("<f", single)
    for digits in range(1, 10):
        shortest = float(f"{single:.{digits}g}")
        # near the largest float, a decimal rounds past it, which no 32-bit float holds (pack would raise)
        if abs(shortest) <= _LARGEST_FLOAT and struct.pack("<f", shortest) == packed:
            return shortest
    return single


def integer(fields: Fields, number: int, default: int = 0) -> int:
    """The last value of a varint field (proto3 keeps the last of repeated scalars)."""
    values = [v for v in fields.get(number, []) if isinstance(v, int)]
    return values[-1] if values else default


def text(fields: Fields, number: int) -> str:
    values = [v for v in fields.get(number, []) if isinstance(v, bytes)]
    return values[-1].decode("utf-8", "replace") if values else ""


def messages(fields: Fields, number: int) -> list[Fields]:
    """Every nested message of a repeated (or single) message field, decoded."""
    return [decode(v) for v in fields.get(number, []) if isinstance(v, bytes)]


def floats(fields: Fields, number: int) -> list[float]:
    """Every value of a repeated float field, packed (proto3's way) or not."""
    found: list[float] = []
    for value in fields.get(number, []):
        if isinstance(value, float):
            found.append(value)
        elif isinstance(value, bytes):
            if len(value) % 4:
                raise ProtobufError("a packed float field's length is not a multiple of 4")
            found += [_shortest(v) for (v,) in struct.iter_unpack("<f", value)]
    return found


def real(fields: Fields, number: int) -> float | None:
    """The last value of a float field; None when it has none (proto3 leaves out a 0)."""
    values = [v for v in fields.get(number, []) if isinstance(v, float)]
    return values[-1] if values else None
