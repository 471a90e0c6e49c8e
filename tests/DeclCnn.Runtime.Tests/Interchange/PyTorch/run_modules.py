"""Runs the PyTorch sources DeclCnn generates, for the .NET tests (PyTorchSession.cs starts it).

Starts by answering {"torch": version}, or {"missing": "torch"} where PyTorch is not installed. Then reads one JSON
request per line on stdin and answers each with one JSON line on stdout:

  {"source": "Net.py", "class": "Net", "weights": "net.pth", "input": "input.bin", "shape": [2, 1, 28, 28],
   "output": "output.bin"}
      The state dict of a new instance ({"state": {"conv1.weight": [32, 1, 3, 3], ...}}), then the .NET weights loaded
      strictly and the input (raw float32) run in eval mode; the output is written as raw float32.
  {"source": "Net.py", "class": "Net", "seed": 0}
      The values of a new instance's parameters and buffers as the declared initialization left them:
      {"statistics": {"conv1.weight": [mean, std, min, max], ...}}.

A request that fails answers {"error": traceback}.
"""
import importlib.util
import json
import sys
import traceback

try:
    import torch
except ImportError:
    print(json.dumps({"missing": "torch"}), flush=True)
    sys.exit(0)


def load_class(source, name):
    spec = importlib.util.spec_from_file_location("declcnn_generated_" + name, source)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


def run(request):
    network = load_class(request["source"], request["class"])()
    state = {key: list(value.shape) for key, value in network.state_dict().items()}
    network.load_state_dict(torch.load(request["weights"]), strict=True)
    network.eval()
    with open(request["input"], "rb") as file:
        data = bytearray(file.read())
    batch = torch.frombuffer(data, dtype=torch.float32).reshape(request["shape"])
    with torch.no_grad():
        output = network(batch).contiguous()
    with open(request["output"], "wb") as file:
        file.write(output.numpy().tobytes())
    return {"state": state, "outputShape": list(output.shape)}


def statistics(request):
    torch.manual_seed(request["seed"])
    network = load_class(request["source"], request["class"])()
    found = {}
    for key, value in network.state_dict().items():
        values = value.double()
        std = values.std().item() if values.numel() > 1 else 0.0
        found[key] = [values.mean().item(), std, values.min().item(), values.max().item()]
    return {"statistics": found}


print(json.dumps({"torch": torch.__version__}), flush=True)
for line in sys.stdin:
    request = json.loads(line)
    try:
        answer = statistics(request) if "seed" in request else run(request)
    except Exception:
        answer = {"error": traceback.format_exc()}
    print(json.dumps(answer), flush=True)
