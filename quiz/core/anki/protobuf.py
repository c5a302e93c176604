"""A tiny protobuf wire-format decoder: enough for the few fields quiz reads from Anki's files.

Only two wire types carry what quiz needs: varints (0: ints, bools, enums) and length-delimited values
(2: strings, bytes, nested messages). Fixed 64- and 32-bit values (1, 5) are skipped. Field numbers are
those of Anki's .proto files, named where they are used.
"""

from __future__ import annotations

VARINT, FIXED64, LENGTH, FIXED32 = 0, 1, 2, 5

Fields = dict[int, list[int | bytes]]


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
        value: int | bytes
        if wire == VARINT:
            value, position = _varint(data, position)
        elif wire == LENGTH:
            length, position = _varint(data, position)
            if position + length > len(data):
                raise ProtobufError("a length-delimited field runs past the end")
            value, position = data[position : position + length], position + length
        elif wire in (FIXED64, FIXED32):
            position += 8 if wire == FIXED64 else 4
            if position > len(data):
                raise ProtobufError("a fixed-size field runs past the end")
            continue
        else:
            raise ProtobufError(f"unknown wire type {wire}")
        fields.setdefault(number, []).append(value)
    return fields


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
