#!/usr/bin/env python3
"""PyTorch peer: the training steps of bench/networks.json in PyTorch CPU eager autograd on one thread.

Install (Debian 12, as root):
    apt-get update && apt-get install -y python3-torch libopenblas0-pthread
Run it with /usr/bin/python3: Debian's torch (1.13) is installed for the system interpreter only.

One training step, the same definition as the C# rows: forward, softmax cross-entropy averaged over the batch,
backward producing every parameter's gradient; no optimizer update. Gradients are reset to None before each step,
so backward writes fresh gradients instead of accumulating, as a generated {Method}Gradient overwrites its outputs.

Usage: pytorch_mlp.py [--quick] [--out FILE] [--networks FILE]
Prints (and with --out also writes) JSON: {"peer", "available", "torch_version", "threads", "mode", "rows": [{"name",
"pytorch_us" (median), "p10_us", "p90_us", "repetitions"}]}. Without torch it says so on stderr, reports every
row with null times and exits 0, so bench/compare.sh still runs.
"""
import argparse
import json
import os
import statistics
import sys
import time

# One thread is part of the definition: set before torch (and OpenBLAS) start their thread pools.
for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = "1"

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_NETWORKS = os.path.join(HERE, "..", "networks.json")

# Wall-clock budgets per network (seconds) and the least number of timed steps.
BUDGETS = {"quick": (0.3, 1.0, 20), "full": (2.0, 8.0, 200)}


def build(torch, spec):
    """The network as nn.Sequential: Linear layers with the activation between them, float32, seeded."""
    torch.manual_seed(0)
    activation = {"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU}[spec["activation"]]
    widths = spec["layers"]
    modules = []
    for index in range(len(widths) - 1):
        modules.append(torch.nn.Linear(widths[index], widths[index + 1]))
        if index < len(widths) - 2:
            modules.append(activation())
    model = torch.nn.Sequential(*modules)
    inputs = torch.randn(spec["batch"], widths[0])
    labels = torch.randint(0, widths[-1], (spec["batch"],))
    return model, inputs, labels


def measure(torch, spec, mode):
    """Median, 10th and 90th percentile of single training steps, in microseconds, after a warm-up."""
    model, inputs, labels = build(torch, spec)
    loss_function = torch.nn.functional.cross_entropy
    warmup_seconds, measure_seconds, least = BUDGETS[mode]

    def step():
        model.zero_grad(set_to_none=True)
        loss_function(model(inputs), labels).backward()

    deadline = time.perf_counter() + warmup_seconds
    while time.perf_counter() < deadline:
        step()
    samples = []
    deadline = time.perf_counter() + measure_seconds
    while len(samples) < least or time.perf_counter() < deadline:
        start = time.perf_counter_ns()
        step()
        samples.append((time.perf_counter_ns() - start) / 1000.0)
    deciles = statistics.quantiles(samples, n=10)
    return {
        "name": spec["name"],
        "pytorch_us": statistics.median(samples),
        "p10_us": deciles[0],
        "p90_us": deciles[-1],
        "repetitions": len(samples),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short warm-up and measurement (for compare.sh --quick)")
    parser.add_argument("--out", help="also write the JSON to this file")
    parser.add_argument("--networks", default=DEFAULT_NETWORKS, help="the network list (bench/networks.json)")
    args = parser.parse_args()
    mode = "quick" if args.quick else "full"
    with open(args.networks, encoding="utf-8") as handle:
        networks = json.load(handle)["networks"]

    try:
        import torch
    except ImportError:
        print("pytorch_mlp.py: torch is not installed; PyTorch columns will be empty. Install it with "
              "'apt-get update && apt-get install -y python3-torch libopenblas0-pthread' and run /usr/bin/python3.",
              file=sys.stderr)
        result = {"peer": "pytorch", "available": False, "torch_version": None, "threads": None, "mode": mode,
                  "rows": [{"name": spec["name"], "pytorch_us": None} for spec in networks]}
    else:
        torch.set_num_threads(1)
        torch.set_num_interop_threads(1)
        rows = []
        for spec in networks:
            row = measure(torch, spec, mode)
            print(f"pytorch_mlp.py: {row['name']}: median {row['pytorch_us']:.1f} us over {row['repetitions']} steps",
                  file=sys.stderr)
            rows.append(row)
        result = {"peer": "pytorch", "available": True, "torch_version": torch.__version__,
                  "threads": torch.get_num_threads(), "mode": mode, "rows": rows}

    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
