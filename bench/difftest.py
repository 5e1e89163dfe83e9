"""Differential test of qtq against Qiskit Aer on random circuits (issue 13, item 5).

Usage: python bench/difftest.py N --qtq PATH [--seed S] [--start K] [--shots 100000] [--max-qubits 12] [--alpha 1e-6]
                                   [--precision double|single]
Prints ONE JSON document (progress on stderr). Exit status 1 when some circuit mismatched.

Circuit number i of seed S is the same whatever else runs (its generator is seeded with "S:i"), so a long run can be
done in chunks: `N --start K` runs circuits K .. K+N-1, and chunks 0..4999 and 5000..9999 together are the
10,000-circuit run.

Each circuit comes from qiskit.circuit.random.random_circuit (gates from the whole standard library, 1 to
--max-qubits qubits); about half also get dynamic parts: a mid-circuit measurement, reset, if_else, and a
while_loop that ends with probability one. The OpenQASM 3 text of qiskit.qasm3.dumps is what both simulators read:
qtq through `qtq run FILE --shots N --seed S`, Aer through qasm3.loads and an exact transpile into its gate set. Comparison:
- terminal measurements only: Pearson chi-square goodness of fit of qtq's counts against the exact distribution
  (Qiskit's Statevector of the circuit without its final measurements);
- dynamic circuits: chi-square test of homogeneity between qtq's counts and Aer's (same number of shots).
Outcomes expected fewer than 5 times are pooled into one cell. A p-value below --alpha is checked by a second run
with another seed; below --alpha again, it is a mismatch (otherwise it is listed under "unconfirmed": one seeded run's
chance fluctuation, which 10,000 circuits at alpha 1e-6 meet with probability ~1 %). A mismatch's circuit
is saved in the corpus format of Tests/Fixtures/circuits (NAME.qasm + NAME.json) under .bench/difftest/, ready to be
copied into the corpus. A circuit that one side rejects is reported as an error (also saved), not silently skipped.
"""

import argparse
import json
import os
import pathlib
import random
import subprocess
import sys
import tempfile
import time

# bench/queue.py (the task-path benchmark) would shadow the standard library's queue, which Qiskit imports through
# multiprocessing: look for this folder's modules after the standard library's.
_BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _BENCH_DIR] + [_BENCH_DIR]

import numpy as np  # noqa: E402
from qiskit import ClassicalRegister, QuantumCircuit, qasm3, transpile  # noqa: E402
from qiskit.circuit.random import random_circuit  # noqa: E402
from qiskit.quantum_info import Statevector  # noqa: E402
from qiskit_aer import AerSimulator  # noqa: E402
from scipy import stats  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / ".bench" / "difftest"


def log(message):
    print(message, file=sys.stderr, flush=True)


def make_circuit(rng, max_qubits):
    """A random circuit and whether all its measurements are terminal (then `exact` holds its distribution)."""
    n = rng.randint(1, max_qubits)
    depth = rng.randint(1, 8)
    body = random_circuit(n, depth, max_operands=min(3, n), measure=False, seed=rng.randrange(2**31))
    dynamic = rng.random() < 0.5
    qc = QuantumCircuit(*body.qregs)
    flags = None
    if dynamic:
        flags = ClassicalRegister(2, "m")
        qc.add_register(flags)
    out = ClassicalRegister(n, "c")
    qc.add_register(out)
    qc.compose(body, inplace=True)
    if dynamic:
        a, b = rng.randrange(n), rng.randrange(n)
        qc.measure(a, flags[0])
        with qc.if_test((flags[0], 1)):
            qc.x(b)
            if n > 1:
                qc.h((b + 1) % n)
        qc.reset(rng.randrange(n))
        # Ends with probability one: each round measures a fresh |+>, stopping on 0.
        qc.h(b)
        qc.measure(b, flags[1])
        with qc.while_loop((flags[1], 1)):
            qc.reset(b)
            qc.h(b)
            qc.measure(b, flags[1])
        qc.compose(random_circuit(n, 2, max_operands=min(2, n), measure=False, seed=rng.randrange(2**31)),
                   inplace=True)
    qc.measure(range(n), out)
    exact = None
    if not dynamic:
        probabilities = Statevector(body).probabilities_dict()
        exact = {key: p for key, p in probabilities.items() if p > 1e-12}
    return qc, exact


def run_qtq(qtq, path, shots, seed, precision):
    done = subprocess.run([qtq, "run", str(path), "--shots", str(shots), "--seed", str(seed), "--precision", precision],
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"qtq run failed: {(done.stderr or done.stdout).strip()[-500:]}")
    return json.loads(done.stdout)["counts"]


def run_aer(backend, text, shots, seed):
    # Aer runs only the gates it has names for: an exact rewrite into its basis (also inside if/while bodies).
    circuit = transpile(qasm3.loads(text), backend, optimization_level=0)
    return backend.run(circuit, shots=shots, seed_simulator=seed).result().get_counts()


def pooled(observed, expected):
    """Cells with expected count >= 5, the rest pooled into one (dropped if its expectation stays below 5)."""
    keys = sorted(set(observed) | set(expected))
    big = [k for k in keys if expected.get(k, 0) >= 5]
    small = [k for k in keys if expected.get(k, 0) < 5]
    obs = [observed.get(k, 0) for k in big]
    exp = [expected.get(k, 0) for k in big]
    if small and sum(expected.get(k, 0) for k in small) >= 5:
        obs.append(sum(observed.get(k, 0) for k in small))
        exp.append(sum(expected.get(k, 0) for k in small))
    elif small and sum(observed.get(k, 0) for k in small) > 20:
        # Outcomes that should (almost) never occur, occurring often: a mismatch however the cells are pooled.
        return None
    return np.array(obs, dtype=float), np.array(exp, dtype=float)


def goodness_of_fit(counts, exact, shots):
    cells = pooled(counts, {k: p * shots for k, p in exact.items()})
    if cells is None:
        return 0.0
    obs, exp = cells
    if len(obs) < 2:
        return 1.0
    exp *= obs.sum() / exp.sum()
    return float(stats.chisquare(obs, exp).pvalue)


def homogeneity(ours, theirs):
    keys = sorted(set(ours) | set(theirs))
    if len(keys) < 2:
        return 1.0
    table = np.array([[ours.get(k, 0) for k in keys], [theirs.get(k, 0) for k in keys]], dtype=float)
    # Pool columns whose expected count is small (as in the goodness-of-fit test).
    expected = table.sum(axis=0) / 2
    keep = expected >= 5
    rest = table[:, ~keep].sum(axis=1, keepdims=True)
    table = np.hstack([table[:, keep], rest]) if rest.sum() >= 10 else table[:, keep]
    if table.shape[1] < 2:
        return 1.0
    return float(stats.chi2_contingency(table, correction=False).pvalue)


def save_case(name, text, qc, exact, aer_counts, shots, seed, note):
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / f"{name}.qasm").write_text(text)
    case = {"name": name, "source": f"difftest: {note}", "kind": "exact" if exact is not None else "sampled",
            "num_qubits": qc.num_qubits, "num_clbits": qc.num_clbits}
    if exact is not None:
        case["probabilities"] = {k: float(f"{p:.15g}") for k, p in sorted(exact.items())}
    if aer_counts is not None:
        case.update(counts=dict(sorted(aer_counts.items())), shots=shots, seed=seed)
    (OUT_DIR / f"{name}.json").write_text(json.dumps(case, indent=1) + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("count", type=int)
    parser.add_argument("--qtq", required=True, help="path to the qtq binary")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--start", type=int, default=0, help="index of the first circuit (for runs in chunks)")
    parser.add_argument("--shots", type=int, default=100_000)
    parser.add_argument("--max-qubits", type=int, default=12)
    parser.add_argument("--alpha", type=float, default=1e-6,
                        help="p-value below which a circuit mismatches (10,000 circuits x 1e-6: ~1 % false alarm)")
    parser.add_argument("--precision", choices=["double", "single"], default="double",
                        help="qtq's amplitude precision (Aer and the exact distribution stay in double)")
    args = parser.parse_args()
    # Shot branching: Aer otherwise simulates each of the 100,000 shots of a dynamic circuit from scratch (minutes).
    backend = AerSimulator(method="statevector", precision="double", shot_branching_enable=True,
                           shot_branching_sampling_enable=True)
    started = time.monotonic()
    results, mismatches, errors, false_alarms = [], [], [], []
    with tempfile.TemporaryDirectory() as scratch:
        for index in range(args.start, args.start + args.count):
            name = f"difftest_{args.seed}_{index}"
            rng = random.Random(f"{args.seed}:{index}")
            qc, exact = make_circuit(rng, args.max_qubits)
            text = qasm3.dumps(qc)
            path = pathlib.Path(scratch) / f"{name}.qasm"
            path.write_text(text)
            seed = rng.randrange(2**31)
            aer_counts = None
            try:
                ours = run_qtq(args.qtq, path, args.shots, seed, args.precision)
                if exact is None:
                    aer_counts = run_aer(backend, text, args.shots, seed)
                    p_value, test = homogeneity(ours, aer_counts), "homogeneity vs Aer counts"
                else:
                    p_value, test = goodness_of_fit(ours, exact, args.shots), "goodness of fit vs exact"
            except Exception as error:  # a rejected program or a crash is a finding, not a reason to stop
                errors.append({"name": name, "error": str(error)[-500:]})
                save_case(name, text, qc, exact, None, args.shots, seed, f"error: {str(error)[-200:]}")
                log(f"{name}: ERROR {str(error)[-200:]}")
                continue
            entry = {"name": name, "qubits": qc.num_qubits, "dynamic": exact is None, "test": test,
                     "p_value": p_value}
            results.append(entry)
            if p_value < args.alpha:
                # A second run with another seed decides: a real difference fails it too, while a chance
                # fluctuation of one seeded run (expected once in 1/alpha circuits) does not.
                retry_seed = rng.randrange(2**31)
                try:
                    again = run_qtq(args.qtq, path, args.shots, retry_seed, args.precision)
                    entry["retry_p_value"] = (homogeneity(again, run_aer(backend, text, args.shots, retry_seed))
                                              if exact is None else goodness_of_fit(again, exact, args.shots))
                except Exception as error:
                    entry["retry_p_value"] = 0.0
                    entry["retry_error"] = str(error)[-500:]
                if entry["retry_p_value"] >= args.alpha:
                    false_alarms.append(entry)
                    log(f"{name}: p = {p_value:.3g}, not confirmed by a second seed (p = {entry['retry_p_value']:.3g})")
                    continue
                mismatches.append(entry)
                save_case(name, text, qc, exact, aer_counts, args.shots, seed, f"{test}, p = {p_value:.3g}")
                log(f"{name}: MISMATCH p = {p_value:.3g}")
            elif (index + 1 - args.start) % 10 == 0:
                log(f"{index + 1 - args.start}/{args.count} circuits, {len(mismatches)} mismatches, {len(errors)} errors")
    p_values = [r["p_value"] for r in results]
    document = {
        "circuits": args.count, "first_index": args.start, "last_index": args.start + args.count - 1,
        "compared": len(results), "mismatches": mismatches, "errors": errors, "unconfirmed": false_alarms,
        "dynamic": sum(r["dynamic"] for r in results), "shots": args.shots, "seed": args.seed,
        "alpha": args.alpha, "max_qubits": args.max_qubits, "precision": args.precision,
        # Under the null hypothesis p-values are uniform: a median far from 0.5 would betray a small bias.
        "median_p_value": float(np.median(p_values)) if p_values else None,
        "wall_seconds": round(time.monotonic() - started, 1),
        "saved_to": str(OUT_DIR) if mismatches or errors else None,
    }
    print(json.dumps(document, indent=1))
    sys.exit(1 if mismatches or errors else 0)


if __name__ == "__main__":
    main()
