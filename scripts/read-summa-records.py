#!/usr/bin/env python3
"""Reads a summa.encrypted-records file (docs/formats.md, "Binary encrypted columns") with nothing but the
standard library and python-paillier: checks its size and SHA-256, decrypts every record with the private key,
unpacks the slots and prints the table as CSV, one line per row (the squares as extra columns when the file has
them). Values are printed with their column's decimals; an empty cell reads as 0.

    usage: read-summa-records.py RECORDS-FILE PRIVATE-KEY

PRIVATE-KEY is a summa.private-key file (summa keygen --out): JSON whose "p" and "q" are decimal strings.

It refuses what Summa's reader refuses (the header's and layout's rules, a value beyond its bound, a square that is
not its value's, a value in a padding row or more values than a column counts), exiting non-zero with one line; rows
printed before such a line are to be discarded. Tests/SummaFormatsTests/RecordsReadersAgreeTests.swift holds both
readers to the same verdict on damaged files.
"""
import hashlib
import json
import math
import struct
import sys

import phe

MAGIC = b"\x93SUMMA\r\n"
TRAILER_MAGIC = b"SUMMAEND"
CHUNK = 1 << 20


def fail(message):
    sys.exit(f"{sys.argv[1]}: {message}")


def decimal(mantissa, scale):
    """mantissa x 10^-scale as text, e.g. (-1250, 3) -> -1.250."""
    digits = str(abs(mantissa)).rjust(scale + 1, "0")
    text = digits[:-scale] + "." + digits[-scale:] if scale else digits
    return "-" + text if mantissa < 0 else text


def balanced_digits(plaintext, width, count):
    """The slots of a signed plaintext, least significant first: d = P mod 2^w, less 2^w when d >= 2^(w-1)."""
    if width is None:
        return [plaintext]
    digits = []
    for _ in range(count):
        digit = plaintext % (1 << width)
        if digit >= 1 << (width - 1):
            digit -= 1 << width
        digits.append(digit)
        plaintext = (plaintext - digit) >> width
    if plaintext:
        fail("a record holds more digits than it has slots")
    return digits


MANTISSA_BITS = 63
VALUE_SLOT_BITS, SQUARE_SLOT_BITS = MANTISSA_BITS + 32 + 1, 2 * MANTISSA_BITS + 32 + 1


def check_header(header, n):
    """The header's rules (docs/formats.md, "Header" and "Layout"), as Summa's reader applies them."""
    bits = n.bit_length()
    columns, layout = header.get("columns"), header.get("layout")
    if not isinstance(columns, list) or not columns or not isinstance(layout, dict):
        fail("the header has no columns or no layout")
    names = [column.get("name") for column in columns]
    if any(not isinstance(name, str) or not name for name in names) or len(set(names)) != len(names):
        fail("columns need distinct, non-empty names")
    if any(type(column.get("scale")) is not int or not 0 <= column["scale"] <= 512 for column in columns):
        fail("a column's scale is outside 0...512")
    if header.get("recordBytes") != (n * n).bit_length() + 7 >> 3:
        fail("recordBytes is not the size of n squared")
    group_by = header.get("groupBy")
    if (header["version"] == 2) != (group_by is not None):
        fail("groupBy belongs to version 2, and version 2 needs it")
    packed, squares = layout.get("packed"), layout.get("squares")
    if type(packed) is not bool or type(squares) is not bool:
        fail("the layout's packed and squares must be booleans")
    counts = {name: layout.get(name) for name in ("rowsPerBlock", "valueSlots", "squareSlots")}
    if any(type(value) is not int or not 1 <= value <= bits for value in counts.values()):
        fail("the layout's counts must be 1...bits(n)")
    rows, value_slots, square_slots = counts["rowsPerBlock"], counts["valueSlots"], counts["squareSlots"]
    per_block = rows * len(columns)
    if not packed:
        if any(name in layout for name in ("valueSlotBits", "squareSlotBits", "mantissaBits")):
            fail("an unpacked layout has no slots")
        if (rows, value_slots, square_slots) != (1, 1, 1):
            fail("an unpacked layout has one row per block and one slot per record")
        return
    widths = (layout.get("valueSlotBits"), layout.get("squareSlotBits"))
    if any(type(width) is not int or not 1 <= width <= bits for width in widths) or layout.get("mantissaBits") != MANTISSA_BITS:
        fail("a packed layout needs slot widths of 1...bits(n) and mantissaBits 63")
    if widths[0] < VALUE_SLOT_BITS or widths[1] < SQUARE_SLOT_BITS:
        fail("slots narrower than their guard bits")
    capacity = [max(0, bits - 3) // width for width in widths]
    if value_slots > capacity[0] or square_slots > capacity[1]:
        fail("the slots do not fit in the plaintext")
    if value_slots > per_block or square_slots > per_block:
        fail("a record has more slots than its block has values")
    if not (rows == 1 or per_block <= value_slots) or value_slots != min(capacity[0], per_block) \
            or square_slots != min(capacity[1], per_block):
        fail("the slot layout is not dense")


def main(path, key_path):
    with open(key_path) as key_file:
        key = json.load(key_file)
    with open(path, "rb") as f:
        size = f.seek(0, 2)
        f.seek(0)
        prefix = f.read(12)
        if prefix[:8] != MAGIC:
            fail("not a summa.encrypted-records file")
        (header_length,) = struct.unpack(">I", prefix[8:])
        header_bytes = f.read(header_length)
        header = json.loads(header_bytes)
        if header["format"] != "summa.encrypted-records" or header["version"] not in (1, 2):
            fail("not version 1 or 2 of summa.encrypted-records")
        group_by = header.get("groupBy", []) if header["version"] == 2 else []
        if header["version"] == 2 and not group_by:
            fail("a version-2 file names its kept columns in groupBy")
        n = int(header["publicKey"]["n"])
        check_header(header, n)
        columns, layout, width = header["columns"], header["layout"], header["recordBytes"]
        p, q = int(key["p"]), int(key["q"])
        if p * q != n:
            fail("is not encrypted under this private key")
        private_key = phe.PaillierPrivateKey(phe.PaillierPublicKey(n), p, q)

        numbers = 2 + len(columns) + (1 if group_by else 0)
        trailer_length = 8 + 8 * numbers + 32
        f.seek(size - trailer_length)
        trailer = f.read(trailer_length)
        if trailer[:8] != TRAILER_MAGIC:
            fail("no trailer: truncated, unfinished or extended")
        rows, record_count, *counts = struct.unpack(f">{numbers}Q", trailer[8:-32])
        section_length = counts.pop() if group_by else 0
        records_start = 12 + header_length
        if size != records_start + record_count * width + section_length + trailer_length:
            fail("its size does not match its header and trailer")
        if any(count > rows for count in counts):
            fail("a column counts more values than there are rows")

        # First pass: the digest, before anything is printed.
        digest = hashlib.sha256()
        f.seek(0)
        remaining = size - 32
        while remaining:
            chunk = f.read(min(CHUNK, remaining))
            digest.update(chunk)
            remaining -= len(chunk)
        if digest.digest() != trailer[-32:]:
            fail("the SHA-256 digest does not match: altered or corrupted")

        # Second pass: a block of records at a time.
        per_block = layout["rowsPerBlock"] * len(columns)
        shapes = [("value", layout["valueSlots"], layout.get("valueSlotBits"))]
        if layout["squares"]:
            shapes.append(("square", layout["squareSlots"], layout.get("squareSlotBits")))
        records_per_block = sum(math.ceil(per_block / slots) for _, slots, _ in shapes)
        # A grouped file: each block holds the rows of one group, whose last block is padded; the group section
        # (between the records and the trailer) gives each group's key, rows and blocks, and every block's group.
        block_groups, groups = [0] * (record_count // records_per_block), [([], rows)]
        if group_by:
            f.seek(records_start + record_count * width)
            section = f.read(section_length)
            if section[:8] != b"SUMMAGRP":
                fail("no group section")
            (group_count,), at = struct.unpack(">Q", section[8:16]), 16
            groups = []
            for _ in range(group_count):
                (key_length,) = struct.unpack(">I", section[at:at + 4])
                key_text = json.loads(section[at + 4:at + 4 + key_length])
                at += 4 + key_length
                group_rows, *_, group_blocks = struct.unpack(f">{len(columns) + 2}Q", section[at:at + 8 * (len(columns) + 2)])
                at += 8 * (len(columns) + 2)
                groups.append((key_text, group_rows))
            block_groups = list(struct.unpack(f">{(len(section) - at) // 4}I", section[at:]))
            if len(block_groups) * records_per_block != record_count:
                fail("the group section does not match the records")
        elif record_count != math.ceil(rows / layout["rowsPerBlock"]) * records_per_block:
            fail("the record count does not match the rows")
        names = [column["name"] for column in columns]
        scales = [column["scale"] for column in columns]
        print(",".join(group_by + (names + [name + "^2" for name in names] if layout["squares"] else names)))
        rows_left = [group_rows for _, group_rows in groups]
        bound = n // 3 - 1
        # The largest |mantissa| of a value: 2^63 - 1 packed, the key's valueBound (2^(bits/2 - 64)) unpacked.
        largest = (1 << MANTISSA_BITS) - 1 if layout["packed"] else 1 << (n.bit_length() // 2 - 64)
        non_zero = [0] * len(columns)
        f.seek(records_start)
        for block in range(record_count // records_per_block):
            cells = {}
            for kind, slots, slot_bits in shapes:
                values = []
                for start in range(0, per_block, slots):
                    c = int.from_bytes(f.read(width), "big")
                    if not 0 < c < n * n or math.gcd(c, n) != 1:
                        fail("a record is not a ciphertext under the key")
                    x = private_key.raw_decrypt(c)
                    if bound < x < n - bound:
                        fail("a record decrypts into the guard band: overflow")
                    signed = x if x <= bound else x - n
                    values += balanced_digits(signed, slot_bits, min(slots, per_block - start))
                cells[kind] = values
            if any(abs(value) > largest for value in cells["value"]):
                fail("a value is beyond the layout's bound")
            if "square" in cells and cells["square"] != [value * value for value in cells["value"]]:
                fail("a square does not match its value")
            group = block_groups[block]
            rows_here = min(layout["rowsPerBlock"], rows_left[group])
            rows_left[group] -= rows_here
            # A padding row holds nothing, and an empty cell holds 0: a value hidden there would be added into sums.
            if any(cells["value"][rows_here * len(columns):]):
                fail("a padding row holds a value")
            for index, value in enumerate(cells["value"][:rows_here * len(columns)]):
                non_zero[index % len(columns)] += value != 0
            for row in range(rows_here):
                line = [cells["value"][row * len(columns) + i] for i in range(len(columns))]
                text = groups[group][0] + [decimal(m, s) for m, s in zip(line, scales)]
                if layout["squares"]:
                    squares = [cells["square"][row * len(columns) + i] for i in range(len(columns))]
                    text += [decimal(m, 2 * s) for m, s in zip(squares, scales)]
                print(",".join(text))
        if any(found > count for found, count in zip(non_zero, counts)):
            fail("a column holds more values than it counts")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: read-summa-records.py RECORDS-FILE PRIVATE-KEY")
    main(sys.argv[1], sys.argv[2])
