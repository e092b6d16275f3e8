#!/usr/bin/env python3
"""Merges BenchmarkDotNet's JSON report and the PyTorch peer's JSON into bench/results/compare.json and one table.

Standard library only (no torch needed). A BenchmarkDotNet benchmark names its row and role in its Description as
"{row}/{role}" (see AutoGrad.Benchmarks/BenchmarkRows.cs); parameter values are appended to the row as "_{value}".
Roles: primal, handwritten, generated, generated_probes, flop (a peak), throughput (a kernel). Network rows come from
bench/networks.json, so they are listed, with nulls, even before their C# benchmarks exist; any missing measurement is
null, never an error.

Usage: merge.py --bdn DIR [--pytorch FILE] [--paired FILE] [--networks FILE] --out FILE [--markdown FILE]
                [--notes FILE] [--commit SHA] [--mode M] [--load-before "1 5 15"]
"""
import argparse
import datetime
import glob
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROLES = ("primal", "handwritten", "generated", "generated_probes", "flop", "throughput")
# The issue's targets.
NETWORK_TARGET_VS_HANDWRITTEN = 1.10
SCALAR_TARGET_VS_PRIMAL = 3.0
SCALAR_TARGET_VS_HANDWRITTEN = 1.5


def load_bdn(directory):
    """{row: {role: {"median_ns", "alloc_bytes", "intrinsics"}}} from every *-report-full.json under directory."""
    rows = {}
    host = {}
    files = sorted(glob.glob(os.path.join(directory, "**", "*-report-full.json"), recursive=True))
    for path in files:
        with open(path, encoding="utf-8") as handle:
            report = json.load(handle)
        host = report.get("HostEnvironmentInfo", host)
        for benchmark in report.get("Benchmarks", []):
            title = benchmark.get("MethodTitle") or ""
            if "/" not in title:
                print(f"merge.py: skipping '{title}': its Description is not 'row/role'", file=sys.stderr)
                continue
            row, role = title.rsplit("/", 1)
            if role not in ROLES:
                print(f"merge.py: skipping '{title}': unknown role '{role}'", file=sys.stderr)
                continue
            parameters = benchmark.get("Parameters") or ""
            for assignment in filter(None, parameters.split("&")):
                row += "_" + assignment.split("=", 1)[-1]
            statistics = benchmark.get("Statistics") or {}
            memory = benchmark.get("Memory") or {}
            rows.setdefault(row, {})[role] = {
                "median_ns": statistics.get("Median"),
                # A peak is the best the core can do: interference only ever slows an iteration down, so the
                # throughput rows use the fastest iteration rather than the median.
                "min_ns": statistics.get("Min"),
                "alloc_bytes": memory.get("BytesAllocatedPerOperation"),
                "intrinsics": benchmark.get("HardwareIntrinsics", ""),
            }
    return rows, host, files


def load_pytorch(path):
    if not path or not os.path.exists(path):
        return {}, {"available": False}
    with open(path, encoding="utf-8") as handle:
        result = json.load(handle)
    return {row["name"]: row.get("pytorch_us") for row in result.get("rows", [])}, result


def load_paired(path):
    """{row name: measurement} from the JSON of `AutoGrad.Benchmarks --paired` (see Networks/PairedRatios.cs)."""
    if not path or not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as handle:
        return {row["name"]: row for row in json.load(handle).get("rows", [])}


def parameter_count(spec):
    widths = spec["layers"]
    return sum(widths[i] * widths[i + 1] + widths[i + 1] for i in range(len(widths) - 1))


def step_flops(spec):
    """The issue's count of one training step: 6 · parameters · batch (2 for the forward product, 4 for the two
    backward products). It counts the first layer's input gradient, which no step computes, and bias work."""
    return 6 * parameter_count(spec) * spec["batch"]


def gemm_flops(spec):
    """GEMM flops a step actually executes: forward 2·B·I·O per layer, dW 2·B·I·O, dX 2·B·I·O except for the first
    layer (its input needs no gradient). Bias, activation and loss work is not counted."""
    batch, widths = spec["batch"], spec["layers"]
    total = 0
    for index in range(len(widths) - 1):
        product = 2 * batch * widths[index] * widths[index + 1]
        total += product * (2 if index == 0 else 3)
    return total


def us(measurement):
    if not measurement or measurement.get("median_ns") is None:
        return None
    return measurement["median_ns"] / 1000.0


def ratio(numerator, denominator):
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def gflops(flops, micros):
    if flops is None or micros is None or micros == 0:
        return None
    return flops / micros / 1000.0


def percent(value, peak):
    return None if value is None or not peak else 100.0 * value / peak


def min_us(measurement):
    if not measurement or measurement.get("min_ns") is None:
        return None
    return measurement["min_ns"] / 1000.0


def alloc(measurement):
    return None if not measurement else measurement.get("alloc_bytes")


def build_rows(bdn, pytorch, networks, reference_peak=None, paired=None):
    peak_rows = []
    kernel_rows = []
    for name, roles in bdn.items():
        if "flop" in roles and roles["flop"].get("min_ns"):
            measured = 1.0 / roles["flop"]["min_ns"]
            # BenchmarkDotNet spells the JIT's instruction sets "AVX-512F+CD+..." (older versions "AVX512F").
            intrinsics = roles["flop"].get("intrinsics", "").replace("-", "")
            emulated = "512" in name and "AVX512" not in intrinsics
            peak_rows.append({"name": name, "kind": "peak", "autograd_us": None, "handwritten_us": None,
                              "pytorch_us": None, "gflops": measured, "alloc_bytes": None,
                              "hardware_accelerated": not emulated})
        if "throughput" in roles and roles["throughput"].get("median_ns"):
            kernel = roles["throughput"]
            kernel_rows.append({"name": name, "kind": "kernel", "autograd_us": None, "handwritten_us": None,
                                "pytorch_us": None, "gflops": 1.0 / kernel["median_ns"],
                                "gflops_at_min": 1.0 / kernel["min_ns"] if kernel.get("min_ns") else None,
                                "alloc_bytes": alloc(kernel)})
    accelerated = [row["gflops"] for row in peak_rows if row["hardware_accelerated"]]
    peak = max(accelerated) if accelerated else None
    for row in kernel_rows:
        row["percent_of_peak"] = percent(row["gflops"], peak)

    rows = []
    for spec in networks:
        rows += network_rows(spec, bdn.get(spec["name"], {}), pytorch.get(spec["name"]), peak, reference_peak,
                             (paired or {}).get(spec["name"]))

    network_names = {spec["name"] for spec in networks}
    for name, roles in bdn.items():
        if name in network_names or "flop" in roles or "throughput" in roles:
            continue
        autograd, handwritten, primal = us(roles.get("generated")), us(roles.get("handwritten")), us(roles.get("primal"))
        row = {"name": name, "kind": "scalar", "autograd_us": autograd, "handwritten_us": handwritten,
               "pytorch_us": None, "gflops": None, "alloc_bytes": alloc(roles.get("generated")),
               "primal_us": primal, "handwritten_alloc_bytes": alloc(roles.get("handwritten")),
               "autograd_vs_primal": ratio(autograd, primal), "handwritten_vs_primal": ratio(handwritten, primal),
               "autograd_vs_handwritten": ratio(autograd, handwritten),
               # Fastest iterations: a second view that other load on the machine disturbs less than the median.
               "autograd_min_us": min_us(roles.get("generated")), "handwritten_min_us": min_us(roles.get("handwritten")),
               "primal_min_us": min_us(roles.get("primal"))}
        row["autograd_vs_handwritten_min"] = ratio(row["autograd_min_us"], row["handwritten_min_us"])
        # Judged on the paired ratios (one process, calls taking turns) when they were measured.
        measured = (paired or {}).get(name) or {}
        row["paired_vs_handwritten"] = measured.get("generated_vs_handwritten")
        row["paired_vs_primal"] = measured.get("generated_vs_primal")
        vs_primal = row["paired_vs_primal"] if row["paired_vs_primal"] is not None else row["autograd_vs_primal"]
        vs_hand = row["paired_vs_handwritten"] if row["paired_vs_handwritten"] is not None else row["autograd_vs_handwritten"]
        row["meets_target"] = None if vs_primal is None or vs_hand is None else (
            vs_primal <= SCALAR_TARGET_VS_PRIMAL and vs_hand <= SCALAR_TARGET_VS_HANDWRITTEN)
        rows.append(row)
    return (rows + sorted(kernel_rows, key=lambda row: row["name"])
            + sorted(peak_rows, key=lambda row: row["name"])), peak


def meets_without_allocating(within_time, alloc_bytes):
    """A time target met with 0 bytes allocated: False when the time misses; None (not judged) when the allocation
    was not measured (a filtered BenchmarkDotNet run), which is no evidence of a miss."""
    if not within_time:
        return False
    return None if alloc_bytes is None else alloc_bytes == 0


def network_rows(spec, roles, torch_us, peak, reference_peak, paired):
    """The generated step's row and, when measured, its probes-on row (name + "_probes"). Targets are judged on the
    paired ratios (one process, steps taking turns, so other load cancels) when they were measured, else on the
    BenchmarkDotNet medians."""
    paired = paired or {}
    name = spec["name"]
    flops = step_flops(spec)
    handwritten = us(roles.get("handwritten"))
    plain = us(roles.get("generated"))
    variants = [(name, roles.get("generated"), False)]
    if "generated_probes" in roles:
        variants.append((name + "_probes", roles.get("generated_probes"), True))
    rows = []
    for row_name, generated, probed in variants:
        autograd = us(generated)
        row = {"name": row_name, "kind": "network", "probes": probed, "autograd_us": autograd,
               "handwritten_us": handwritten, "pytorch_us": torch_us, "gflops": gflops(flops, autograd),
               "alloc_bytes": alloc(generated), "flops_per_step": flops, "gemm_flops_per_step": gemm_flops(spec),
               "handwritten_gflops": gflops(flops, handwritten), "pytorch_gflops": gflops(flops, torch_us),
               "handwritten_alloc_bytes": alloc(roles.get("handwritten")),
               "autograd_vs_handwritten": ratio(autograd, handwritten), "autograd_vs_pytorch": ratio(autograd, torch_us),
               "handwritten_vs_pytorch": ratio(handwritten, torch_us),
               "autograd_min_us": min_us(generated), "handwritten_min_us": min_us(roles.get("handwritten"))}
        row["autograd_vs_handwritten_min"] = ratio(row["autograd_min_us"], row["handwritten_min_us"])
        row["percent_of_peak"] = percent(row["gflops"], peak)
        row["handwritten_percent_of_peak"] = percent(row["handwritten_gflops"], peak)
        row["pytorch_percent_of_peak"] = percent(row["pytorch_gflops"], peak)
        if probed:
            # The probes row's target is the issue's bound on what probes add, where it sets one; no target elsewhere.
            overhead = None if autograd is None or not plain else autograd / plain - 1.0
            row["probe_overhead"] = overhead
            row["paired_probe_overhead"] = paired.get("probe_overhead")
            if row["paired_probe_overhead"] is not None:
                overhead = row["paired_probe_overhead"]
            row["probe_overhead_min"] = (None if not min_us(generated) or not min_us(roles.get("generated"))
                                         else min_us(generated) / min_us(roles.get("generated")) - 1.0)
            limit = spec.get("probe_overhead_max")
            row["probe_overhead_max"] = limit
            row["meets_target"] = None if limit is None or overhead is None else meets_without_allocating(
                overhead <= limit, row["alloc_bytes"])
        else:
            row["paired_vs_handwritten"] = paired.get("generated_vs_handwritten")
            vs = row["paired_vs_handwritten"] if row["paired_vs_handwritten"] is not None else row["autograd_vs_handwritten"]
            row["meets_target"] = None if vs is None else meets_without_allocating(vs <= NETWORK_TARGET_VS_HANDWRITTEN, row["alloc_bytes"])
            row.update(issue_target(spec.get("target") or {}, autograd, row["gflops"], peak, reference_peak))
        rows.append(row)
    return rows


def issue_target(target, micros, rate, peak, reference_peak):
    """The networks issue's absolute goal for a step: its text, whether it is met, and for GFLOP/s goals (set for a
    core of reference_peak GFLOP/s) the same fraction of this machine's peak."""
    if "below_us" in target:
        goal = target["below_us"]
        return {"issue_target": f"< {goal:g} µs", "issue_target_met": None if micros is None else micros < goal}
    if "max_us" in target:
        goal = target["max_us"]
        return {"issue_target": f"≤ {goal:g} µs", "issue_target_met": None if micros is None else micros <= goal}
    if "min_gflops" in target:
        goal = target["min_gflops"]
        result = {"issue_target": f"≥ {goal:g} GFLOP/s", "issue_target_met": None if rate is None else rate >= goal}
        if peak and reference_peak:
            scaled = goal * peak / reference_peak
            result["issue_target_scaled"] = scaled
            result["issue_target_scaled_met"] = None if rate is None else rate >= scaled
        return result
    return {}


COLUMNS = [
    ("row", "name", "s"), ("AutoGrad µs", "autograd_us", "t"), ("hand µs", "handwritten_us", "t"),
    ("PyTorch µs", "pytorch_us", "t"), ("AG/hand", "autograd_vs_handwritten", "r"),
    ("AG/hand paired", "paired_vs_handwritten", "r"),
    ("AG/PyT", "autograd_vs_pytorch", "r"), ("hand/PyT", "handwritten_vs_pytorch", "r"),
    ("primal µs", "primal_us", "t"), ("AG/primal", "autograd_vs_primal", "r"),
    ("AG/primal paired", "paired_vs_primal", "r"), ("hand/primal", "handwritten_vs_primal", "r"),
    ("GFLOP/s AG", "gflops", "g"), ("GFLOP/s hand", "handwritten_gflops", "g"), ("GFLOP/s PyT", "pytorch_gflops", "g"),
    ("% peak AG", "percent_of_peak", "p"), ("% peak hand", "handwritten_percent_of_peak", "p"),
    ("% peak PyT", "pytorch_percent_of_peak", "p"), ("alloc B AG", "alloc_bytes", "b"),
    ("alloc B hand", "handwritten_alloc_bytes", "b"), ("probes +%", "probe_overhead", "o"),
    ("probes +% paired", "paired_probe_overhead", "o"),
    ("target", "meets_target", "m"), ("issue target", None, "i"),
]


def cell(value, style):
    if value is None:
        return "—"
    if style == "s":
        return str(value)
    if style == "t":
        return f"{value:,.1f}" if value >= 100 else f"{value:.2f}"
    if style == "r":
        return f"{value:.2f}×"
    if style == "g":
        return f"{value:.1f}"
    if style == "p":
        return f"{value:.0f}%"
    if style == "b":
        return f"{int(value):,}"
    if style == "o":
        return f"{100 * value:+.1f}%"
    return "met" if value else "missed"


def issue_cell(row):
    """'≤ 15 µs: met', or for GFLOP/s goals also the goal scaled to this machine's peak."""
    if "issue_target" not in row:
        return "—"
    text = f"{row['issue_target']}: {cell(row.get('issue_target_met'), 'm')}"
    if row.get("issue_target_scaled") is not None:
        text += f" (≥ {row['issue_target_scaled']:.0f} at this peak: {cell(row.get('issue_target_scaled_met'), 'm')})"
    return text


def table(rows):
    """(header, lines) with every cell formatted."""
    header = [title for title, _, _ in COLUMNS]
    return header, [[issue_cell(row) if style == "i" else cell(row.get(key), style) for _, key, style in COLUMNS]
                    for row in rows]


def text_table(rows):
    header, lines = table(rows)
    widths = [max(len(line[i]) for line in [header] + lines) for i in range(len(header))]
    def render(line):
        return "  ".join(value.ljust(width) if i == 0 else value.rjust(width) for i, (value, width) in enumerate(zip(line, widths)))
    return "\n".join([render(header), render(["-" * width for width in widths])] + [render(line) for line in lines])


def markdown_table(rows):
    header, lines = table(rows)
    out = ["| " + " | ".join(header) + " |", "|" + "|".join([":---"] + ["---:"] * (len(header) - 1)) + "|"]
    out += ["| " + " | ".join(line) + " |" for line in lines]
    return "\n".join(out)


def cpu_description():
    """Model, family/model numbers and the vector extensions that decide the peak, from /proc/cpuinfo (a VM often
    reports only "AMD EPYC"); None where there is no /proc/cpuinfo."""
    fields = {}
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if ":" in line:
                    key, value = (part.strip() for part in line.split(":", 1))
                    fields.setdefault(key, value)
    except OSError:
        return None
    flags = set(fields.get("flags", "").split())
    vectors = [name.upper() for name in ("avx2", "fma") if name in flags]
    vectors.append("AVX-512F" if "avx512f" in flags else "no AVX-512")
    return (f"{fields.get('model name', 'unknown CPU')} (family {fields.get('cpu family', '?')}, "
            f"model {fields.get('model', '?')}), {', '.join(vectors)}, {os.cpu_count()} logical cores")


def machine_line(host):
    """CPU (from /proc/cpuinfo where there is one, it is more precise than BenchmarkDotNet's), OS, runtime."""
    cpu = cpu_description() or f"{host.get('ProcessorName') or 'unknown CPU'}, {host.get('PhysicalCoreCount', '?')} cores"
    return (f"{cpu}, {host.get('OsVersion', 'unknown OS')}, "
            f"{host.get('RuntimeVersion', 'unknown .NET runtime')}, BenchmarkDotNet {host.get('BenchmarkDotNetVersion', '?')}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bdn", required=True, help="BenchmarkDotNet artifacts folder (its results are searched)")
    parser.add_argument("--pytorch", help="the JSON written by peers/pytorch_mlp.py")
    parser.add_argument("--networks", default=os.path.join(HERE, "networks.json"))
    parser.add_argument("--out", required=True, help="compare.json to write")
    parser.add_argument("--markdown", help="RESULTS.md to write")
    parser.add_argument("--notes", help="a Markdown file appended to RESULTS.md (why targets are missed)")
    parser.add_argument("--paired", help="the JSON written by AutoGrad.Benchmarks --paired")
    parser.add_argument("--commit", default="unknown")
    parser.add_argument("--mode", default="full", choices=("quick", "full"))
    parser.add_argument("--load-before", help="/proc/loadavg's first three fields when the run started")
    args = parser.parse_args()

    with open(args.networks, encoding="utf-8") as handle:
        network_file = json.load(handle)
    networks = network_file["networks"]
    bdn, host, files = load_bdn(args.bdn)
    if not files:
        print(f"merge.py: no BenchmarkDotNet *-report-full.json under {args.bdn}; C# columns are empty", file=sys.stderr)
    pytorch, pytorch_info = load_pytorch(args.pytorch)
    rows, peak = build_rows(bdn, pytorch, networks, network_file.get("target_reference_peak_gflops"),
                            load_paired(args.paired))

    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(rows, handle, indent=2)
        handle.write("\n")

    intrinsics = next((m["intrinsics"] for roles in bdn.values() for m in roles.values() if m.get("intrinsics")), "")
    machine = machine_line(host) + (f"; JIT intrinsics: {intrinsics}" if intrinsics else "")
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    torch_text = (f"PyTorch {pytorch_info.get('torch_version')} CPU eager, {pytorch_info.get('threads')} thread"
                  if pytorch_info.get("available") else "PyTorch not installed (its columns are empty)")
    peak_text = f"{peak:.1f} GFLOP/s" if peak else "not measured"
    emulated = [row["name"] for row in rows if row["kind"] == "peak" and not row["hardware_accelerated"]]
    if emulated:
        peak_text += f" ({', '.join(emulated)} not hardware-accelerated here: emulated, not counted)"
    load = load_text(args.load_before)
    print(f"{date}  commit {args.commit}  mode {args.mode}\n{machine}\n{torch_text}; float32 FMA peak (one core): {peak_text}")
    print(f"{load}\n")
    print(text_table(rows))

    if args.markdown:
        notes = ""
        if args.notes and os.path.exists(args.notes):
            with open(args.notes, encoding="utf-8") as handle:
                notes = handle.read()
        with open(args.markdown, "w", encoding="utf-8") as handle:
            handle.write(markdown_document(rows, date, args, machine, torch_text, peak_text, load, notes))
    return 0


def load_text(before):
    """The machine's load around the run: benchmarks share the cores with whatever else runs, and this says how much."""
    try:
        with open("/proc/loadavg", encoding="utf-8") as handle:
            after = " ".join(handle.read().split()[:3])
    except OSError:
        after = "unknown"
    return (f"Load average (1, 5, 15 min) before the run: {before or 'unknown'}; after: {after}. Above the core count, "
            "other processes competed for the CPU and times are inflated and noisy.")


def markdown_document(rows, date, args, machine, torch_text, peak_text, load, notes):
    mode_note = ("`--quick`: 9 measured iterations of about 150 ms per benchmark, so differences under ~10% are noise."
                 if args.mode == "quick" else "full BenchmarkDotNet runs.")
    return f"""# Benchmark results

Written by `bench/compare.sh{' --quick' if args.mode == 'quick' else ''}`; do not edit by hand. How the rows are
defined and measured: [bench/README.md](README.md). Raw numbers: [results/compare.json](results/compare.json).

- Date: {date}
- Commit: `{args.commit}`
- Mode: {mode_note}
- Machine: {machine}
- Peer: {torch_text}
- Peak (the best hardware-accelerated `fma_peak_*` row): float32 FMA throughput on one core, {peak_text}.
- {load}

{markdown_table(rows)}

`—` means not measured or not applicable (PyTorch columns are empty when torch is not installed). Network rows:
GFLOP/s counts 6 · parameters · batch per step, the issue's count (`gemm_flops_per_step` in compare.json is the GEMM work
actually executed, without the first layer's input gradient); a `_probes` row is the same generated step with gradient
probes on, and `probes +%` is its time over the probes-off row's, minus one. Targets (`target`): generated network rows
within {NETWORK_TARGET_VS_HANDWRITTEN:.2f}× of hand-written with 0 bytes allocated per step; `_probes` rows at most
+3% over probes off where the issue sets that bound (784-128-64-10 batch 64, 21-layer tanh); scalar gradients at most
{SCALAR_TARGET_VS_PRIMAL:.0f}× their primal and within {SCALAR_TARGET_VS_HANDWRITTEN:.1f}× of hand-written. `issue target`
is the networks issue's absolute goal for the step; its GFLOP/s goals were set for an AVX-512 core of about 245 GFLOP/s,
so the same fraction of this machine's peak is shown beside them. `paired` columns come from `AutoGrad.Benchmarks
--paired`: the three calls of a row (hand-written, generated and probed steps of a network; primal, hand-written
and generated gradient of a scalar objective, all but the d = 64 mixture) take turns in one process and each ratio is
the median of per-round ratios, so load from other processes, which moves the medians of BenchmarkDotNet's separate
processes apart, cancels; targets are judged on them when present (compare.json keeps both, and `*_min_us`, the
fastest iterations). `gemm_*` rows are single matrix products
(`C[M×N]`, inner dimension K) at the layers' shapes, for reading the network rows against the GEMM's own speed.
{notes and chr(10) + notes}"""


if __name__ == "__main__":
    sys.exit(main())
