"""Trains a DeclCnn network's PyTorch module on Fashion-MNIST with DistributedDataParallel (docs/scale-out.md).

Run it under torchrun, one process per CPU core or GPU on each machine:

    python3 -m torch.distributed.run --nproc_per_node=2 train_ddp.py \
        --module simple_cnn.py --network SimpleCnn --data ~/.declcnn/data/fashion-mnist --output simple_cnn.pth

The module is the file `export SimpleCnn --format pytorch` writes; the data are the four gzip IDX files DeclCnn's
Fashion-MNIST loader keeps in its data root (docs/data.md). Rank 0 saves the trained state dict (.pth), which DeclCnn
loads by the same keys (`evaluate SimpleCnn --weights simple_cnn.pth`), and prints PyTorch's test accuracy.
"""
import argparse
import gzip
import importlib.util
import os
import struct

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

# DeclCnn's Fashion-MNIST normalization (FashionMnist.Info): evaluation in .NET sees the same inputs.
MEAN, STD = 0.2860, 0.3530


def read_idx(path):
    """Images ([N, 1, H, W] bytes) or labels ([N] int64) from a gzip IDX file."""
    with gzip.open(path, "rb") as file:
        data = file.read()
    magic, count = struct.unpack(">II", data[:8])
    if magic == 0x803:
        rows, columns = struct.unpack(">II", data[8:16])
        return torch.frombuffer(bytearray(data[16:]), dtype=torch.uint8).reshape(count, 1, rows, columns)
    if magic == 0x801:
        return torch.frombuffer(bytearray(data[8:]), dtype=torch.uint8).long()
    raise ValueError(f"{path} is not an IDX image or label file (magic number {magic:#010x})")


def load(folder, split):
    images = read_idx(os.path.join(folder, f"{split}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(folder, f"{split}-labels-idx1-ubyte.gz"))
    return TensorDataset((images.float() / 255 - MEAN) / STD, labels)


def load_network(module_path, name):
    spec = importlib.util.spec_from_file_location("declcnn_network", module_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)()


def accuracy(network, dataset):
    network.eval()
    correct = 0
    with torch.no_grad():
        for images, labels in DataLoader(dataset, batch_size=1000):
            correct += (network(images).argmax(1) == labels).sum().item()
    return 100.0 * correct / len(dataset)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", required=True, help="the .py file of `export NETWORK --format pytorch`")
    parser.add_argument("--network", required=True, help="the class it defines (the network's name)")
    parser.add_argument("--data", required=True, help="the folder of the four Fashion-MNIST IDX files")
    parser.add_argument("--output", required=True, help="the .pth file rank 0 writes")
    parser.add_argument("--steps", type=int, default=300, help="optimizer steps (each over every rank's batch)")
    parser.add_argument("--batch-size", type=int, default=64, help="images per rank and step")
    parser.add_argument("--lr", type=float, default=1e-3, help="Adam's learning rate")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--accuracy-file", help="where rank 0 also writes the test accuracy, as a number")
    args = parser.parse_args()

    # torchrun sets RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT; gloo runs on CPUs (nccl for GPUs).
    dist.init_process_group("gloo")
    rank = dist.get_rank()
    torch.manual_seed(args.seed)
    network = load_network(args.module, args.network)
    model = DistributedDataParallel(network)  # broadcasts rank 0's weights, averages the gradients
    train = load(args.data, "train")
    sampler = DistributedSampler(train, shuffle=True, seed=args.seed)  # each rank its own share of every epoch
    loader = DataLoader(train, batch_size=args.batch_size, sampler=sampler, drop_last=True)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)

    model.train()
    step, epoch = 0, 0
    while step < args.steps:
        sampler.set_epoch(epoch)
        for images, labels in loader:
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(images), labels)
            loss.backward()
            optimizer.step()
            step += 1
            if rank == 0 and step % 50 == 0:
                print(f"step {step}/{args.steps}: loss {loss.item():.4f}", flush=True)
            if step == args.steps:
                break
        epoch += 1

    if rank == 0:
        torch.save(network.state_dict(), args.output)
        test_accuracy = accuracy(network, load(args.data, "t10k"))
        print(f"Wrote {args.output}; PyTorch test accuracy {test_accuracy:.2f} %", flush=True)
        if args.accuracy_file:
            with open(args.accuracy_file, "w") as file:
                file.write(f"{test_accuracy:.4f}\n")
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
