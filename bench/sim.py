"""Runs the simulator benchmark: our engine (qtq-bench) against Qiskit Aer, Qulacs and qsim on the same QASM files.

Usage: python bench/sim.py --qtq-bench PATH [--large] [--peers-only] [--engines aer,qulacs,qsim,qsim-f3,qsim-f4] [--only NAME,...]
Prints ONE JSON document on stdout (progress goes to stderr) and keeps a copy in .bench/results-<time>.json.
Each measurement runs in its own process, one after another, so engines never compete for the 2 cores.
"""

import argparse
import datetime
import importlib.metadata
import json
import os
import pathlib
import platform
import subprocess
import sys

# bench/queue.py (the task-path benchmark) would shadow the standard library's queue, which Qiskit imports through
# multiprocessing: look for this folder's modules after the standard library's.
_BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _BENCH_DIR] + [_BENCH_DIR]

import circuits

ROOT = pathlib.Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / ".bench"
PEERS_PY = [sys.executable, str(ROOT / "bench" / "peers.py")]
THREADS = 2
BANDWIDTH_BYTES_PER_SECOND = 40e9
BELL_OVERHEAD = {"ours": 20000, "aer": 2000, "qulacs": 2000, "qsim": 1000}  # iterations: a few seconds each

# Reference medians from the project issue (seconds; Bell in ms per task), for context only.
REFERENCE = {
    "bell_2": {"aer_ms_per_task": 1.53},
    "qft_20": {"aer": 0.14, "qulacs": 0.11, "qsim": 0.03}, "qft_24": {"aer": 3.3, "qulacs": 3.1, "qsim": 1.2},
    "qft_26": {"aer": 15.1, "qulacs": 13.9, "qsim": 4.9}, "qft_28": {"aer": 69.9, "qulacs": 68.5, "qsim": 21.5},
    "qv_20": {"aer": 0.51, "qulacs": 0.37, "qsim": 0.03}, "qv_24": {"aer": 11.9, "qulacs": 9.0, "qsim": 1.4},
    "qv_26": {"aer": 53.2, "qulacs": 41.4, "qsim": 6.6}, "ghz_28": {"aer": 18.1, "qulacs": 5.2, "qsim": 3.2},
    "random_24_20": {"aer": 7.1, "qulacs": 20.3, "qsim": 1.2},
    "dynamic_20": {"aer": 174.0, "aer-branching": 25.0},
}


def log(message):
    print(message, file=sys.stderr, flush=True)


def run_json(command, timeout):
    """Runs one measurement process; its last stdout line is JSON. Failures become {"error": ...}."""
    env = dict(os.environ, OMP_NUM_THREADS=str(THREADS))
    # Other work on the machine slows OpenMP-based engines badly (spinning threads lose their core): keep the
    # 1-minute load average next to each number so a noisy one can be spotted.
    load = round(os.getloadavg()[0], 2)
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout} s"}
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return {"error": (done.stderr.strip() or done.stdout.strip())[-800:] or f"exit {done.returncode}"}
    try:
        return {**json.loads(lines[-1]), "load_average_before": load}
    except json.JSONDecodeError:
        return {"error": f"not JSON: {lines[-1][:300]}"}


def peer_engines(case, engines, large):
    """Aer runs the dynamic circuit with shot branching by default; its plain (slow) run is opt-in with --large."""
    if case["name"] != "dynamic_20":
        return engines
    engines = [e for e in engines if not e.startswith("qsim")]  # no converter for mid-circuit measurement + if
    chosen = [e for e in engines if e != "aer"] + (["aer-branching"] if "aer" in engines else [])
    return chosen + (["aer"] if large and "aer" in engines else [])


def measure_case(case, args):
    result = {"name": case["name"], "qubits": case["qubits"], "qiskit_gates": case["qiskit_gates"],
              "shots": case["shots"], "reference": REFERENCE.get(case["name"], {})}
    measure = measure_overhead if case["name"] == "bell_2" else measure_simulation
    return {**result, **measure(case, args)}


def measure_overhead(case, args):
    """Bell: microseconds per whole task (parse + simulate + sample) in a warm process."""
    path, shots = case["file"], str(case["shots"])
    result = {"peers": {}}
    if not args.peers_only:
        log("bell_2: ours")
        result["ours"] = run_json([args.qtq_bench, "overhead", path, "--shots", shots, "--iterations",
                                   str(BELL_OVERHEAD["ours"]), "--threads", str(THREADS)] + PRECISION_FLAG, args.timeout)
    for engine in [e for e in args.engines if e in BELL_OVERHEAD]:  # qsim's fusion sizes make no difference here
        log(f"bell_2: {engine}")
        result["peers"][engine] = run_json(PEERS_PY + [engine, path, "--shots", shots, "--overhead-iterations",
                                                       str(BELL_OVERHEAD[engine])], args.timeout)
    result["median_us_per_task"] = _medians(result, "median_us_per_task")
    result["ratios"] = _ratios(result["median_us_per_task"])
    return result


def settle_memory(qubits):
    """Touches (then frees) a state-sized block of memory in a throwaway process before a large measurement.

    On this virtual machine memory freed by one process is handed back to the host after a while, and the next
    process to touch it waits for the host to back it again: several seconds for a 4 GiB state. Without this,
    whoever runs right after a larger engine pays for it (a 28-qubit GHZ doubled in time). Untimed.
    """
    if qubits < 26:
        return
    code = f"import numpy; numpy.ones({2 ** qubits * 2}, dtype=numpy.float64).sum()"
    subprocess.run([sys.executable, "-c", code], check=False)


def measure_simulation(case, args):
    """Median seconds of simulate + sample, each engine in its own process; ratios against ours."""
    name, path, shots, reps = case["name"], case["file"], str(case["shots"]), case["repetitions"]
    warm = case["qubits"] <= 20
    result = {"peers": {}}
    if not args.peers_only:
        log(f"{name}: ours ({reps} runs)")
        settle_memory(case["qubits"])
        command = [args.qtq_bench, path, "--shots", shots, "--repeat", str(reps), "--threads", str(THREADS),
                   "--seed", "1234"] + PRECISION_FLAG
        result["ours"] = run_json(command + (["--warmup"] if warm else []), args.timeout)
    ours = result.get("ours", {})
    result["gates"] = ours.get("gates")
    result["passes"] = ours.get("passes")
    if result["passes"] is not None:
        # Each pass reads and writes the whole complex128 state once.
        state_bytes = 16 * 2 ** case["qubits"]
        result["bandwidth_floor_seconds"] = 2 * state_bytes * result["passes"] / BANDWIDTH_BYTES_PER_SECOND
    for engine in peer_engines(case, args.engines, args.large):
        # Aer's unbranched dynamic run simulates every shot from scratch (~4 min): once is enough.
        engine_reps = 1 if (name == "dynamic_20" and engine == "aer") else reps
        log(f"{name}: {engine} ({engine_reps} runs)")
        settle_memory(case["qubits"])
        command = PEERS_PY + [engine, path, "--shots", shots, "--repeat", str(engine_reps)]
        command += ["--warmup"] if warm and engine_reps > 1 else []
        result["peers"][engine] = run_json(command, args.timeout)
    result["median_seconds"] = _medians(result, "median_seconds")
    _add_qsim_best(result["median_seconds"])
    result["ratios"] = _ratios(result["median_seconds"])
    return result


def _add_qsim_best(medians):
    """qsim at its fastest fusion size ("qsim-best", and which size that was): the figure the goals compare with."""
    measured = {e: m for e, m in medians.items() if e.startswith("qsim") and m}
    if len(measured) > 1:
        fastest = min(measured, key=measured.get)
        medians["qsim-best"] = measured[fastest]
        medians["qsim-best-engine"] = fastest


def _medians(result, key):
    """{engine: median} at a glance (None where the engine failed or does not support the circuit)."""
    medians = {"ours": result.get("ours", {}).get(key)}
    medians.update({engine: peer.get(key) for engine, peer in result["peers"].items()})
    return medians


def _ratios(medians):
    """peer / ours: above 1 means our engine is faster."""
    ours = medians.get("ours")
    return {e: round(m / ours, 3) if m and ours else None for e, m in medians.items()
            if e != "ours" and isinstance(m, (int, float, type(None)))}


# The SIMD features that decide which kernels run (ours and the peers'): an AVX2-only host and an AVX-512 one give
# different tables, so every result says which kind of host it came from.
SIMD_FLAGS = ["sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512dq", "avx512bw", "avx512vl", "avx512_vnni",
              "avx512_bf16", "avx512_fp16", "amx_tile", "asimd", "sve", "sve2"]


def cpu_flags():
    """SIMD features of this CPU in SIMD_FLAGS order (x86 "flags", Arm "Features" lines of /proc/cpuinfo)."""
    try:
        line = next(line for line in open("/proc/cpuinfo") if line.startswith(("flags", "Features")))
    except (OSError, StopIteration):
        return []
    present = set(line.split(":", 1)[1].split())
    return [flag for flag in SIMD_FLAGS if flag in present]


def machine():
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
                 platform.processor())
    mem_kib = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    return {"cpu": model, "cores": os.cpu_count(), "memory_gib": round(mem_kib / 2**20, 1),
            "kernel": platform.release(), "cpu_flags": cpu_flags()}


def versions():
    names = ["qiskit", "qiskit-aer", "qulacs", "qsimcirq", "cirq-core", "numpy"]
    return {n: importlib.metadata.version(n) for n in names}


PRECISION_FLAG = []


def main():
    global THREADS
    parser = argparse.ArgumentParser()
    parser.add_argument("--qtq-bench", help="path to the release qtq-bench binary")
    parser.add_argument("--large", action="store_true", help="add 26/28-qubit cases and Aer's unbranched dynamic run")
    parser.add_argument("--peers-only", action="store_true", help="measure only the peers (engine not needed)")
    parser.add_argument("--engines", default="aer,qulacs,qsim,qsim-f3,qsim-f4",
                        help="qsim = fusion 2 (its default); qsim-f3/-f4 = max_fused_gate_size 3/4")
    parser.add_argument("--only", default="", help="comma-separated case names")
    parser.add_argument("--timeout", type=int, default=3600, help="seconds per measurement process")
    parser.add_argument("--threads", type=int, default=THREADS,
                        help="threads per engine (1 gives fairer ratios on a busy machine: OpenMP peers slow down "
                             "several-fold when another process takes one of their cores)")
    parser.add_argument("--precision", choices=["double", "single"], default="double",
                        help="our engine's amplitudes: double (complex128) or single (complex64, as qsim's)")
    args = parser.parse_args()
    THREADS = args.threads
    # Only when asked for: a qtq-bench from before the option still measures double precision.
    PRECISION_FLAG[:] = ["--precision", "single"] if args.precision == "single" else []
    args.engines = [e for e in args.engines.split(",") if e]
    if not args.peers_only and not args.qtq_bench:
        parser.error("--qtq-bench is required unless --peers-only")

    qasm_dir = BENCH_DIR / "circuits"
    log(f"generating circuits into {qasm_dir}")
    cases = circuits.write_cases(qasm_dir, args.large)
    if args.only:
        wanted = set(args.only.split(","))
        cases = [c for c in cases if c["name"] in wanted]
    started = datetime.datetime.now(datetime.timezone.utc)
    results = [measure_case(case, args) for case in cases]
    document = {
        "date": started.isoformat(timespec="seconds"),
        "wall_seconds": round((datetime.datetime.now(datetime.timezone.utc) - started).total_seconds(), 1),
        "machine": machine(),
        "versions": versions(),
        "threads": THREADS,
        "precision": args.precision,
        "large": args.large,
        "timing": {
            "ours": f"qtq-bench: Simulator.run(circuit, shots) wall time, {'complex64' if args.precision == 'single' else 'complex128'}; excludes QASMCompiler.compile "
                    "(reported as compile_seconds); bell_2 is a whole task (compile + run + sample) per iteration",
            "aer": _peer_timing("aer"), "aer-branching": _peer_timing("aer-branching"),
            "qulacs": _peer_timing("qulacs"), "qsim": _peer_timing("qsim"), "qsim-f3": _peer_timing("qsim-f3"),
            "qsim-f4": _peer_timing("qsim-f4"),
            "qsim-best": "the fastest of the qsim fusion sizes measured (qsim-best-engine names it)",
            "median": "median of the listed runs; circuits of <= 20 qubits get one untimed warm-up run first",
            "ratios": "peer median / our median (> 1: ours is faster); bell_2 compares microseconds per task",
            "bandwidth_floor_seconds": "2 (read + write) x 16 x 2^qubits bytes x passes / 40 GB/s",
        },
        "circuits": results,
    }
    text = json.dumps(document, indent=1)
    BENCH_DIR.mkdir(exist_ok=True)
    (BENCH_DIR / f"results-{started.strftime('%Y%m%dT%H%M%S')}.json").write_text(text)
    print(text)


def _peer_timing(engine):
    import peers  # imported late: it pulls in Qiskit, already loaded by circuits
    return peers.TIMING[engine]


if __name__ == "__main__":
    main()
