"""Generates the benchmark circuits as OpenQASM 3 text (qiskit.qasm3.dumps), so every engine reads the same source.

Usage: python bench/circuits.py OUTDIR [--large]
Writes OUTDIR/NAME.qasm for each case and OUTDIR/manifest.json describing them (qubits, gate count, shots, reps).
Generation is deterministic (fixed seeds), so the files are rebuilt at bench time instead of being committed.
"""

import argparse
import json
import math
import os
import pathlib
import random
import sys
import warnings

# bench/queue.py (the task-path benchmark) would shadow the standard library's queue, which Qiskit imports through
# multiprocessing: look for this folder's modules after the standard library's.
_BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _BENCH_DIR] + [_BENCH_DIR]

from qiskit import ClassicalRegister, QuantumCircuit, QuantumRegister, qasm3, transpile
from qiskit.circuit.random import random_circuit
from qiskit.synthesis import synth_qft_full

# QuantumVolume (the class the benchmark names) is deprecated in Qiskit 2.2+ in favour of a function with the same
# output; keep the class so the circuit matches the reference numbers, and keep the log clean.
warnings.filterwarnings("ignore", category=DeprecationWarning)
from qiskit.circuit.library import QuantumVolume  # noqa: E402

NOT_GATES = {"measure", "barrier", "reset", "if_else", "delay"}


def bell():
    qc = QuantumCircuit(2, 2)
    qc.h(0)
    qc.cx(0, 1)
    qc.measure([0, 1], [0, 1])
    return qc


def qft(n):
    # h + cp + swap: the textbook QFT, which every engine has native gates for.
    qc = QuantumCircuit(n)
    qc.compose(synth_qft_full(n, do_swaps=True), inplace=True)
    qc.measure_all()
    return qc


def quantum_volume(n):
    # QuantumVolume holds opaque SU(4) unitaries; lower them to U + cx, which stdgates/QASM3 and all peers accept.
    qv = QuantumVolume(n, seed=7)
    qc = transpile(qv, basis_gates=["u", "cx"], optimization_level=1, seed_transpiler=7)
    qc.measure_all()
    return qc


def ghz(n):
    qc = QuantumCircuit(n)
    qc.h(0)
    for i in range(n - 1):
        qc.cx(i, i + 1)
    qc.measure_all()
    return qc


def random_24():
    return random_circuit(24, 20, seed=11, measure=True)


def dynamic(n, layers_before=2, layers_after=2):
    """One mid-circuit measurement of q[0] and an `if` on it, between brickwork layers of ry/rz + a cx chain."""
    rng = random.Random(5)
    q, m, c = QuantumRegister(n, "q"), ClassicalRegister(1, "m"), ClassicalRegister(n, "c")
    qc = QuantumCircuit(q, m, c)
    qc.h(q)

    def layer():
        for i in range(n):
            qc.ry(rng.uniform(0, math.pi), i)
            qc.rz(rng.uniform(0, math.pi), i)
        for i in range(n - 1):
            qc.cx(i, i + 1)

    for _ in range(layers_before):
        layer()
    qc.measure(q[0], m[0])
    with qc.if_test((m, 1)):
        qc.x(q[1])
        qc.h(q[2])
    for _ in range(layers_after):
        layer()
    qc.measure(q, c)
    return qc


def cases(large):
    """(name, builder, shots, repetitions, is_large). Repetitions keep the default run (peers included) < 15 min."""
    small = [
        ("bell_2", bell, 1024, 0, False),  # per-task overhead case; repetitions set by the overhead runner
        ("qft_20", lambda: qft(20), 1024, 5, False),
        ("qft_24", lambda: qft(24), 1024, 3, False),
        ("qv_20", lambda: quantum_volume(20), 1024, 5, False),
        ("qv_24", lambda: quantum_volume(24), 1024, 3, False),
        ("random_24_20", random_24, 1024, 3, False),
        ("dynamic_20", lambda: dynamic(20), 1000, 3, False),
    ]
    big = [
        ("qft_26", lambda: qft(26), 1024, 3, True),
        ("qv_26", lambda: quantum_volume(26), 1024, 3, True),
        ("qft_28", lambda: qft(28), 1024, 1, True),
        ("ghz_28", lambda: ghz(28), 1024, 1, True),
    ]
    return small + (big if large else [])


def gate_count(qc):
    return sum(n for name, n in qc.count_ops().items() if name not in NOT_GATES)


def write_cases(outdir, large):
    """Writes NAME.qasm per case plus manifest.json into outdir; returns the manifest (a list of dicts)."""
    out = pathlib.Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    manifest = []
    for name, build, shots, reps, is_large in cases(large):
        qc = build()
        path = out / f"{name}.qasm"
        path.write_text(qasm3.dumps(qc))
        manifest.append({
            "name": name, "file": str(path), "qubits": qc.num_qubits, "qiskit_gates": gate_count(qc),
            "shots": shots, "repetitions": reps, "large": is_large,
        })
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1))
    return manifest


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("outdir")
    parser.add_argument("--large", action="store_true")
    args = parser.parse_args()
    print(json.dumps(write_cases(args.outdir, args.large), indent=1))


if __name__ == "__main__":
    main()
