"""libtensor.safetensors, lt.save and lt.load (python/libtensor/safetensors.py,
serialization.py, python/src/serialization.cpp): round trips, the written layout checked by
an independent reader, interop with PyTorch both ways through the bytes of the format, nested
state dicts, the refusal of torch.save's pickle files, provenance and the validation errors.

    PYTHONPATH=build/python /usr/bin/python3 -m pytest -q tests/python/test_serialization.py
"""
import collections
import hashlib
import io
import json
import os
import struct

import numpy as np
import pytest

import libtensor as lt

DTYPES = ["float64", "float32", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool"]
CODES = {"float64": "F64", "float32": "F32", "float16": "F16", "bfloat16": "BF16", "int64": "I64",
         "int32": "I32", "int16": "I16", "int8": "I8", "uint8": "U8", "bool": "BOOL"}
ITEMSIZE = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1}


def sample(dtype, shape=(2, 3)):
    n = int(np.prod(shape))
    if dtype == "bool":
        return lt.tensor([i % 3 == 0 for i in range(n)]).reshape(shape)
    start = 0 if dtype == "uint8" else -n // 2
    return lt.arange(start, start + n, dtype=getattr(lt, dtype)).reshape(shape)


# --- an independent reader and writer of the format (no libtensor code) ------------------

def read_safetensors(data):
    """{name: (code, shape, raw bytes)} and the metadata, checking the layout rules."""
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    buffer = data[8 + n:]
    metadata = header.pop("__metadata__", {})
    out, spans = {}, []
    for name, info in header.items():
        begin, end = info["data_offsets"]
        size = int(np.prod(info["shape"])) * ITEMSIZE[info["dtype"]]
        assert end - begin == size and end <= len(buffer)
        out[name] = (info["dtype"], info["shape"], buffer[begin:end])
        spans.append((begin, end))
    assert sum(e - b for b, e in spans) == len(buffer)  # the tensors tile the buffer
    return out, metadata, n


def write_safetensors(tensors, metadata=None):
    """Bytes of a safetensors file from {name: (code, shape, raw bytes)}."""
    header, offset, chunks = {}, 0, []
    if metadata:
        header["__metadata__"] = metadata
    for name, (code, shape, raw) in tensors.items():
        header[name] = {"dtype": code, "shape": list(shape), "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        chunks.append(raw)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


# --- round trips and layout ---------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
def test_round_trip_every_dtype(dtype, tmp_path):
    tensors = {"x": sample(dtype), "empty": sample(dtype, (0, 4)), "scalar": sample(dtype, (1,)).reshape(()),
               "strided": sample(dtype, (4, 3)).t()[:, ::2]}
    path = tmp_path / "t.safetensors"
    lt.safetensors.save_file(tensors, path, metadata={"format": "pt"})
    for back in (lt.safetensors.load_file(path), lt.safetensors.load(lt.safetensors.save(tensors)),
                 lt.safetensors.load_file(str(path), device="cpu")):
        assert set(back) == set(tensors)
        for name, t in tensors.items():
            assert back[name].dtype == t.dtype and back[name].shape == t.shape
            assert back[name].tolist() == t.tolist(), name
    assert lt.safetensors.load_metadata(path) == {"format": "pt"}


def test_layout_read_by_an_independent_parser():
    tensors = {name: sample(name) for name in DTYPES}
    data = lt.safetensors.save(tensors, {"k": "v"})
    parsed, metadata, n = read_safetensors(data)
    assert n % 8 == 0 and metadata == {"k": "v"}
    for name, t in tensors.items():
        code, shape, raw = parsed[name]
        assert code == CODES[name] and shape == list(t.shape)
        ref = lt.tensor(t.tolist(), dtype=t.dtype)
        if name == "bfloat16":  # numpy has no bfloat16: its bits are the top half of float32's
            expected = (np.array(ref.float().tolist(), np.float32).view(np.uint32) >> 16).astype("<u2").tobytes()
        else:
            expected = np.array(t.tolist(), dtype=name).tobytes()
        assert raw == expected, name
    begins = sorted((json.loads(data[8:8 + n])[k]["data_offsets"][0], ITEMSIZE[parsed[k][0]]) for k in parsed)
    assert all(b % size == 0 for b, size in begins)  # each tensor aligned for its dtype


def test_loaded_tensors_are_independent_of_the_file(tmp_path):
    path = tmp_path / "t.safetensors"
    lt.safetensors.save_file({"w": lt.ones(3)}, path)
    w = lt.safetensors.load_file(path)["w"]
    w.add_(1)  # the mapping is private: the file keeps its ones
    os.remove(path)
    assert w.tolist() == [2.0, 2.0, 2.0]


def test_sha256_matches_hashlib():
    t = lt.arange(1000, dtype=lt.float64)
    data = lt.safetensors.save({"t": t}, provenance=True)
    parsed, metadata, _ = read_safetensors(data)
    assert metadata["libtensor.sha256.t"] == hashlib.sha256(parsed["t"][2]).hexdigest()
    assert metadata["libtensor.version"] == lt.__version__


def test_verify_catches_a_flipped_byte(tmp_path):
    data = bytearray(lt.safetensors.save({"a": lt.arange(8.0), "b": lt.ones(2, 2)}, {"user": "x"}, provenance=True))
    assert lt.safetensors.load(bytes(data), verify=True)["a"].tolist() == list(map(float, range(8)))
    data[-1] ^= 0x40
    assert set(lt.safetensors.load(bytes(data)))  # still well formed
    with pytest.raises(lt.safetensors.SafetensorError, match="fails verification"):
        lt.safetensors.load(bytes(data), verify=True)
    path = tmp_path / "f.safetensors"
    path.write_bytes(data)
    with pytest.raises(ValueError, match=r"\[safetensors\] tensor '.' fails verification"):
        lt.safetensors.load_file(path, verify=True)
    with pytest.raises(ValueError, match="no libtensor provenance"):
        lt.safetensors.load(lt.safetensors.save({"a": lt.ones(1)}), verify=True)


def test_argument_errors(tmp_path):
    with pytest.raises(TypeError, match="must be a Tensor"):
        lt.safetensors.save({"a": [1, 2]})
    with pytest.raises(TypeError, match="names must be str"):
        lt.safetensors.save({1: lt.ones(1)})
    with pytest.raises(TypeError, match="dict of str to str"):
        lt.safetensors.save({"a": lt.ones(1)}, metadata={"k": 1})
    with pytest.raises(RuntimeError, match="reserved"):
        lt.safetensors.save({"__metadata__": lt.ones(1)})
    with pytest.raises(FileNotFoundError):
        lt.safetensors.load_file(tmp_path / "missing.safetensors")
    with pytest.raises(FileNotFoundError):
        lt.safetensors.save_file({"a": lt.ones(1)}, tmp_path / "no" / "dir.safetensors")


# --- interop with PyTorch through the format's bytes ---------------------------------------

def _torch_bytes(t, torch):
    if t.dtype == torch.bfloat16:
        return t.contiguous().view(torch.int16).numpy().tobytes()
    return t.contiguous().numpy().tobytes()


def test_pytorch_reads_what_libtensor_writes():
    torch = pytest.importorskip("torch")
    tensors = {name: sample(name, (3, 2)) for name in DTYPES}
    parsed, _, _ = read_safetensors(lt.safetensors.save(tensors))
    for name, (code, shape, raw) in parsed.items():
        tdtype = getattr(torch, name)
        if raw:
            if tdtype == torch.bfloat16:
                t = torch.frombuffer(bytearray(raw), dtype=torch.int16).view(torch.bfloat16)
            else:
                t = torch.frombuffer(bytearray(raw), dtype=tdtype)
        else:
            t = torch.empty(0, dtype=tdtype)
        assert t.reshape(shape).tolist() == tensors[name].tolist(), name


def test_libtensor_reads_what_pytorch_writes(tmp_path):
    torch = pytest.importorskip("torch")
    g = torch.Generator().manual_seed(0)
    ref = {name: (torch.randn(4, 3, generator=g) * 50).to(getattr(torch, name)) for name in DTYPES}
    ref["empty"] = torch.zeros(0, 2)
    ref["scalar"] = torch.tensor(3.5, dtype=torch.float64)
    data = write_safetensors({n: (CODES[str(t.dtype).split(".")[1]], t.shape, _torch_bytes(t, torch))
                              for n, t in ref.items()}, {"format": "pt"})
    path = tmp_path / "torch.safetensors"
    path.write_bytes(data)
    back = lt.safetensors.load_file(path)
    for name, t in ref.items():
        assert tuple(back[name].shape) == tuple(t.shape), name
        assert back[name].tolist() == t.tolist(), name
    # A state dict of a real torch module, through the format, into lt.load.
    model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 2))
    sd = model.state_dict()
    path.write_bytes(write_safetensors({k: ("F32", v.shape, _torch_bytes(v, torch)) for k, v in sd.items()}))
    loaded = lt.load(path)
    assert list(loaded) == sorted(sd) and all(loaded[k].tolist() == sd[k].tolist() for k in sd)


# --- lt.save and lt.load --------------------------------------------------------------------

def test_save_load_nested_state_dicts(tmp_path):
    state = {
        "model": collections.OrderedDict([("fc.weight", lt.randn(3, 4)), ("fc.bias", lt.zeros(3))]),
        "optimizer": {"state": {0: {"step": 3, "exp_avg": lt.ones(3, 4)}}, "param_groups": [{"lr": 1e-3, "params": [0]}]},
        "epoch": 7, "name": "run", "done": False, "best": None, "pair": (1.5, lt.arange(3)),
        "a.b": lt.ones(1), "a": {"b": lt.zeros(1)},  # two paths with the same dotted name
    }
    path = tmp_path / "state.lt"
    lt.save(state, path)
    back = lt.load(path)
    assert isinstance(back["model"], collections.OrderedDict) and list(back["model"]) == ["fc.weight", "fc.bias"]
    assert back["model"]["fc.weight"].tolist() == state["model"]["fc.weight"].tolist()
    assert back["optimizer"]["state"][0]["step"] == 3 and 0 in back["optimizer"]["state"]
    assert back["optimizer"]["param_groups"] == [{"lr": 1e-3, "params": [0]}]
    assert (back["epoch"], back["name"], back["done"], back["best"]) == (7, "run", False, None)
    assert isinstance(back["pair"], tuple) and back["pair"][1].tolist() == [0, 1, 2]
    assert back["a.b"].tolist() == [1.0] and back["a"]["b"].tolist() == [0.0]
    # The file is plain safetensors: tensors under their dotted paths.
    parsed, metadata, _ = read_safetensors(path.read_bytes())
    assert "model.fc.weight" in parsed and metadata["libtensor.format"] == "lt.save/1"

    buffer = io.BytesIO()
    lt.save(lt.arange(5), buffer)
    buffer.seek(0)
    assert lt.load(buffer).tolist() == [0, 1, 2, 3, 4]
    with pytest.raises(TypeError, match="never pickle"):
        lt.save({"f": object()}, tmp_path / "bad.lt")


def test_save_load_provenance(tmp_path):
    path = tmp_path / "p.lt"
    lt.save({"w": lt.ones(4)}, path, provenance=True)
    assert lt.load(path, verify=True)["w"].tolist() == [1.0] * 4
    data = bytearray(path.read_bytes())
    data[-2] ^= 1
    path.write_bytes(data)
    with pytest.raises(ValueError, match="fails verification"):
        lt.load(path, verify=True)


@pytest.mark.parametrize("zipfile", [True, False])
def test_load_refuses_pickle_without_running_it(tmp_path, zipfile):
    torch = pytest.importorskip("torch")
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self):  # unpickling would call open(marker, "w"), creating the file
            return (open, (str(marker), "w"))

    path = tmp_path / "model.pt"
    torch.save({"w": torch.ones(2), "payload": Payload()}, path, _use_new_zipfile_serialization=zipfile)
    head = path.read_bytes()[:4]
    assert head == b"PK\x03\x04" if zipfile else head[:1] == b"\x80"
    with pytest.raises(RuntimeError, match="pickle") as info:
        lt.load(path)
    message = str(info.value)
    assert "runs whatever code" in message and "safetensors.torch.save_file" in message
    with pytest.raises(RuntimeError, match="pickle"):
        lt.load(io.BytesIO(path.read_bytes()))
    assert not marker.exists()
    with pytest.raises(ValueError, match="header length"):  # the safetensors reader refuses it too
        lt.safetensors.load_file(path)


# --- validation errors in Python ------------------------------------------------------------

def _file(header, data=b"", length=None):
    text = header if isinstance(header, bytes) else json.dumps(header).encode()
    return struct.pack("<Q", len(text) if length is None else length) + text + data


def _entry(dtype="U8", shape=(2,), offsets=(0, 2)):
    return {"dtype": dtype, "shape": list(shape), "data_offsets": list(offsets)}


BROKEN = [
    (b"\x01\x00", "too short"),
    (_file({}, length=2**62), "exceeds the limit"),
    (_file({}, length=1000), "exceeds the 2 bytes that follow"),
    (_file(b"[]"), "must start with '{'"),
    (_file(b'{"a":1'), "not valid UTF-8 JSON"),
    (_file(b'{"\xc3\x28":1}'), "not valid UTF-8 JSON"),
    (_file({"t": _entry(dtype="F8_E5M2")}, b"ab"), "tensor 't': unsupported dtype 'F8_E5M2'"),
    (_file({"t": _entry(shape=(-1,))}, b"ab"), "tensor 't': shape [-1] must hold non-negative integers"),
    (_file({"t": _entry(shape=(2**40, 2**40), offsets=(0, 0))}), "more elements than int64"),
    (_file({"t": _entry(shape=(1,) * 65, offsets=(0, 1))}, b"a"), "tensor 't': shape has 65 dimensions"),
    (_file({"t": _entry(offsets=(0, 4))}, b"ab"), "tensor 't': data_offsets [0,4] reach past the end"),
    (_file({"t": _entry(offsets=(2, 0))}, b"ab"), "end before they begin"),
    (_file({"t": _entry(dtype="F32", shape=(2,))}, b"ab"), "needs 8"),
    (_file({"a": _entry(), "b": _entry(offsets=(1, 3))}, b"abc"), "tensor 'b' (bytes 1..3) overlaps tensor 'a'"),
    (_file({"a": _entry()}, b"abcd"), "2 trailing bytes"),
    (_file({"__metadata__": {"k": 5}}), "__metadata__ value of 'k' must be a string"),
    (_file({"t": _entry(dtype="BOOL")}, b"\x01\x03"), "BOOL element 1 is byte 3"),
]


@pytest.mark.parametrize("data,message", BROKEN, ids=[m for _, m in BROKEN])
def test_validation_errors(data, message, tmp_path):
    with pytest.raises(lt.safetensors.SafetensorError) as info:
        lt.safetensors.load(data)
    assert message in str(info.value) and str(info.value).startswith("[safetensors] ")
    assert isinstance(info.value, ValueError)
    path = tmp_path / "broken.safetensors"
    path.write_bytes(data)
    with pytest.raises(ValueError, match="safetensors"):
        lt.load(path)
