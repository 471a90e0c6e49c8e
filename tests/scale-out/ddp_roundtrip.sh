#!/usr/bin/env bash
# The scale-out round trip of docs/scale-out.md, on one machine: export SimpleCnn as a PyTorch module, train it with
# PyTorch's DistributedDataParallel in two processes (torchrun, gloo), load the weights back into the .NET model and
# evaluate it there. Exits non-zero unless DeclCnn's test accuracy is within 0.1 point of PyTorch's.
# Needs Debian's PyTorch: sudo apt-get install python3-torch. Usage: tests/scale-out/ddp_roundtrip.sh [STEPS]
set -euo pipefail
cd "$(dirname "$0")/../.."

steps="${1:-300}"
python=/usr/bin/python3
if ! "$python" -c "import torch" 2>/dev/null; then
    echo "PyTorch is missing for $python: sudo apt-get install python3-torch" >&2
    exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
begin=$SECONDS
dotnet build samples/DeclCnn.Samples.FashionMnist -c Release -v quiet -nologo
app=(dotnet samples/DeclCnn.Samples.FashionMnist/bin/Release/net10.0/DeclCnn.Samples.FashionMnist.dll)
data="${DECLCNN_DATA:-$HOME/.declcnn/data}/fashion-mnist"

# The IDX files: any command that loads Fashion-MNIST builds them on first use.
"${app[@]}" images --output "$work/images" --count 1 > /dev/null

start=$SECONDS
"${app[@]}" export SimpleCnn --format pytorch --output "$work/simple_cnn.py"
# Debian's PyTorch 1.13 under Python 3.11 cannot read torchrun's default "--redirects 0" (Python 3.11 no longer lists a
# flag enum's zero member), so the workers' stdout is teed explicitly: to the console, and to logs under --log_dir.
"$python" -m torch.distributed.run --nproc_per_node=2 --redirects 1 --tee 1 --log_dir "$work/logs" tests/scale-out/train_ddp.py \
    --module "$work/simple_cnn.py" --network SimpleCnn --data "$data" --steps "$steps" \
    --output "$work/simple_cnn.pth" --accuracy-file "$work/pytorch_accuracy.txt"
trained=$SECONDS
"${app[@]}" evaluate SimpleCnn --weights "$work/simple_cnn.pth" > "$work/evaluate.txt"
head -n 1 "$work/evaluate.txt"

pytorch="$(cat "$work/pytorch_accuracy.txt")"
declcnn="$(sed -n 's/.*top-1 \([0-9.]*\) %.*/\1/p' "$work/evaluate.txt" | head -n 1)"
echo "Test accuracy: PyTorch $pytorch %, DeclCnn $declcnn %. Wall time: export + torchrun ($steps steps) $((trained - start)) s, round trip $((SECONDS - start)) s, with build and data $((SECONDS - begin)) s."
if ! awk -v a="$pytorch" -v b="$declcnn" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(b != "" && d <= 0.1) }'; then
    echo "DeclCnn's accuracy differs from PyTorch's by more than 0.1 point." >&2
    exit 1
fi
