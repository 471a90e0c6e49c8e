"""Writes the PyTorch fixtures of the interchange tests, from real PyTorch.

Run from this folder with the interpreter that has torch and torchvision (on Debian,
`apt-get install python3-torch python3-torchvision`, then `/usr/bin/python3 make_fixtures.py`).
Seeded: the same torch version writes the same files.

With `--check DIR`, loads instead the files the .NET tests save (simple_cnn.pth,
simple_cnn.safetensors, tiny_resnet.pth, tiny_resnet.safetensors in DIR) into the PyTorch
models and compares their outputs on the fixture inputs with the outputs stored here.
"""

import json
import os
import struct
import sys

import torch
from torch import nn
from torchvision.models.resnet import BasicBlock


class SimpleCnn(nn.Module):
    """samples/DeclCnn.Samples/SimpleCnn.cs, with the generated module names."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, padding="same")
        self.relu1 = nn.ReLU()
        self.pool1 = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(32, 64, 3, padding="same")
        self.relu2 = nn.ReLU()
        self.pool2 = nn.MaxPool2d(2)
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(64 * 7 * 7, 128)
        self.relu3 = nn.ReLU()
        self.dropout = nn.Dropout(0.5)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = self.pool1(self.relu1(self.conv1(x)))
        x = self.pool2(self.relu2(self.conv2(x)))
        x = self.relu3(self.fc1(self.flatten(x)))
        return self.fc2(self.dropout(x))


class TinyResNet(nn.Module):
    """tests/DeclCnn.Runtime.Tests/Interchange/TinyResNet.cs: a stem and two stages of one
    torchvision BasicBlock, the second with a strided 1x1 + batch norm shortcut."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.relu = nn.ReLU()
        self.layer1 = nn.Sequential(BasicBlock(8, 8))
        downsample = nn.Sequential(nn.Conv2d(8, 16, 1, stride=2, bias=False), nn.BatchNorm2d(16))
        self.layer2 = nn.Sequential(BasicBlock(8, 16, stride=2, downsample=downsample))
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        x = self.layer2(self.layer1(x))
        return self.fc(self.flatten(self.avgpool(x)))


SAFETENSORS_DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64"}


def save_safetensors(tensors, path):
    """The safetensors layout: an 8-byte little-endian header length, a JSON header mapping each
    name to dtype, shape and [begin, end) byte offsets into the data that follows, then the data."""
    header, chunks, offset = {}, [], 0
    for name, tensor in tensors.items():
        data = tensor.detach().contiguous().numpy().tobytes()
        header[name] = {"dtype": SAFETENSORS_DTYPES[tensor.dtype], "shape": list(tensor.shape),
                        "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * (-len(encoded) % 8)  # the format pads the header to align the data
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for chunk in chunks:
            f.write(chunk)


def load_safetensors(path):
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    dtypes = {v: k for k, v in SAFETENSORS_DTYPES.items()}
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        flat = torch.frombuffer(bytearray(data[begin:end]), dtype=dtypes[entry["dtype"]])
        tensors[name] = flat.reshape(entry["shape"])
    return tensors


def settle_batch_norm(model, input_shape):
    """Gives batch norm non-trivial affine weights and running statistics, so a loader that
    drops buffers or swaps them shows in the outputs."""
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.BatchNorm2d):
                module.weight.uniform_(0.5, 1.5)
                module.bias.uniform_(-0.2, 0.2)
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(torch.randn(16, *input_shape) * 2 + 0.5)


class RunsAShellCommand:
    """What a hostile .pth carries: unpickling it in Python would call os.system."""

    def __reduce__(self):
        return os.system, ("echo this file ran a shell command",)


def make():
    torch.manual_seed(2026)
    models = {"simple_cnn": (SimpleCnn(), (1, 28, 28)), "tiny_resnet": (TinyResNet(), (3, 16, 16))}
    for name, (model, input_shape) in models.items():
        settle_batch_norm(model, input_shape)
        model.eval()
        inputs = torch.randn(4, *input_shape)
        with torch.no_grad():
            outputs = model(inputs)
        torch.save(model.state_dict(), f"{name}.pth")
        save_safetensors({"input": inputs, "output": outputs}, f"{name}_io.safetensors")
        if name == "tiny_resnet":
            # SimpleCnn's .pth alone is 1.7 MB; the residual net covers safetensors from Python.
            save_safetensors(model.state_dict(), f"{name}.safetensors")
            torch.save(model.double().state_dict(), f"{name}_float64.pth")
            save_safetensors(model.state_dict(), f"{name}_float64.safetensors")

    # A state dict with a hostile object next to a tensor: torch.load would run the command. Protocol 2 (torch.save's
    # default) names globals inline; protocol 4 pushes their names as strings, through the memo.
    torch.save({"conv1.weight": torch.zeros(8, 3, 3, 3), "payload": RunsAShellCommand()}, "hostile.pth")
    linear = {"weight": torch.randn(1, 2), "bias": torch.randn(1)}
    torch.save(linear, "linear_protocol4.pth", pickle_protocol=4)
    torch.save({**linear, "payload": RunsAShellCommand()}, "hostile_protocol4.pth", pickle_protocol=4)
    # The format torch.save wrote before PyTorch 1.6: a bare pickle stream, no zip archive.
    torch.save({"weight": torch.ones(2)}, "legacy.pth", _use_new_zipfile_serialization=False)


def check(directory):
    models = {"simple_cnn": SimpleCnn(), "tiny_resnet": TinyResNet()}
    for name, model in models.items():
        io = load_safetensors(f"{name}_io.safetensors")
        for extension in ("pth", "safetensors"):
            path = os.path.join(directory, f"{name}.{extension}")
            state = torch.load(path) if extension == "pth" else load_safetensors(path)
            model.load_state_dict(state, strict=True)
            model.eval()
            with torch.no_grad():
                outputs = model(io["input"])
            difference = (outputs - io["output"]).abs().max().item()
            print(f"{path}: loaded strict into PyTorch, max |output difference| {difference:.3g}")


if __name__ == "__main__":
    os.chdir(os.path.dirname(os.path.abspath(__file__)))
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        check(os.path.abspath(sys.argv[2]))
    else:
        make()
