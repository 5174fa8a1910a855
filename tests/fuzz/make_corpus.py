"""Writes the seed corpus of fuzz_safetensors (tests/fuzz/corpus/): a few valid files and
some corrupt ones, built byte by byte here so that they do not depend on libtensor's writer.

    /usr/bin/python3 tests/fuzz/make_corpus.py
"""
import json
import os
import struct

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def file_bytes(header, data=b"", pad=True, length=None):
    text = json.dumps(header, separators=(",", ":")).encode() if not isinstance(header, bytes) else header
    if pad:
        text += b" " * (-len(text) % 8)
    n = len(text) if length is None else length
    return struct.pack("<Q", n) + text + data


def entry(dtype, shape, begin, end):
    return {"dtype": dtype, "shape": shape, "data_offsets": [begin, end]}


CASES = {
    "valid_f32": file_bytes({"w": entry("F32", [2, 2], 0, 16)}, struct.pack("<4f", 1, 2, 3, 4)),
    "valid_mixed": file_bytes({"__metadata__": {"format": "pt"}, "a": entry("F64", [1], 0, 8),
                               "b": entry("I32", [2], 8, 16), "c": entry("BOOL", [3], 16, 19),
                               "d": entry("BF16", [], 19, 21)},
                              struct.pack("<d2i", 1.5, -3, 7) + b"\x01\x00\x01" + b"\x80\x3f"),
    "valid_empty": file_bytes({"e": entry("I8", [0, 5], 0, 0)}),
    "valid_no_tensors": file_bytes({"__metadata__": {"k": "v"}}),
    "valid_all_dtypes": file_bytes({f"t{i}": entry(d, [1], o, o + s) for i, (d, s, o) in enumerate(
        [("F64", 8, 0), ("I64", 8, 8), ("F32", 4, 16), ("I32", 4, 20), ("F16", 2, 24), ("BF16", 2, 26),
         ("I16", 2, 28), ("I8", 1, 30), ("U8", 1, 31), ("BOOL", 1, 32)])}, bytes(33)),
    "bad_truncated": file_bytes({"w": entry("F32", [2, 2], 0, 16)}, b"\x00" * 7),
    "bad_huge_header_length": file_bytes({"w": entry("F32", [1], 0, 4)}, bytes(4), length=2**63),
    "bad_dtype": file_bytes({"w": entry("F8_E4M3", [1], 0, 1)}, b"\x00"),
    "bad_overlap": file_bytes({"a": entry("F32", [2], 0, 8), "b": entry("F32", [2], 4, 12)}, bytes(12)),
    "bad_out_of_range": file_bytes({"a": entry("U8", [4], 0, 4)}, bytes(2)),
    "bad_numel_overflow": file_bytes({"a": entry("F32", [2**32, 2**32], 0, 0)}),
    "bad_negative_dim": file_bytes({"a": entry("F32", [-1], 0, 0)}),
    "bad_not_utf8": file_bytes(b'{"\xff\xfe":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}', b"\x00"),
    "bad_duplicate_key": file_bytes(b'{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},'
                                    b'"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}', b"\x00"),
    "bad_metadata_value": file_bytes({"__metadata__": {"k": 1}}),
    "bad_bool_byte": file_bytes({"a": entry("BOOL", [2], 0, 2)}, b"\x01\x02"),
    "bad_deep_nesting": file_bytes(b'{"a":' + b"[" * 64 + b"]" * 64 + b"}"),
}

if __name__ == "__main__":
    os.makedirs(HERE, exist_ok=True)
    for name, data in CASES.items():
        with open(os.path.join(HERE, name + ".safetensors"), "wb") as f:
            f.write(data)
    print(f"{len(CASES)} files in {HERE}")
