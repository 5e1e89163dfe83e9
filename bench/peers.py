"""Times one peer simulator on one QASM 3 file and prints one JSON object.

Usage: python bench/peers.py {aer,aer-branching,qulacs,qsim} FILE --shots N --repeat R [--overhead-iterations K]
Run once per (engine, file) in a fresh process (bench/sim.py does), so the thread settings below apply and memory
from a previous circuit is gone. Every engine reads the circuit with qiskit.qasm3.loads from the same text.
With --overhead-iterations, it instead times K whole tasks (parse + convert + simulate + sample) in a warm loop.
"""

import argparse
import json
import os
import statistics
import sys
import time
from collections import Counter

# bench/sim.py sets OMP_NUM_THREADS (2 unless --threads says otherwise); the other engines get the same number.
THREADS = int(os.environ.setdefault("OMP_NUM_THREADS", "2"))  # Qulacs (OpenMP) and Aer's OpenMP runtime
# bench/queue.py (the task-path benchmark) would shadow the standard library's queue, which Qiskit imports through
# multiprocessing: look for this folder's modules after the standard library's.
_BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _BENCH_DIR] + [_BENCH_DIR]

from qiskit import qasm3  # noqa: E402

import convert  # noqa: E402

TIMING = {
    "aer": f"AerSimulator(method=statevector, precision=double, max_parallel_threads={THREADS}).run(circuit, shots).result(): "
           "wall time; excludes qasm3.loads; no transpile: the circuit runs as parsed, except that gates Aer has no "
           "name for are replaced by their unitary beforehand, untimed (listed as replaced_gates)",
    "aer-branching": "as aer, with shot_branching_enable=True and shot_branching_sampling_enable=True (without the "
                     "latter, Aer branches on every final measurement too: ~1000 live 16 MiB states for 20 qubits)",
    "qulacs": "circuit.update_quantum_state(QuantumState(n)) + state.sampling(shots), complex128, "
              f"OMP_NUM_THREADS={THREADS}; "
              "excludes qasm3.loads and the Qiskit->Qulacs conversion",
    "qsim": f"QSimSimulator(QSimOptions(cpu_threads={THREADS}, max_fused_gate_size=2)).run(circuit, repetitions=shots), "
            "complex64; excludes qasm3.loads and the Qiskit->Cirq conversion, includes qsimcirq's own Cirq->qsim "
            "translation (reported separately as translate_seconds)",
}
# qsim's fuser makes blocks of up to max_fused_gate_size qubits; which size is fastest depends on circuit and CPU,
# so the peer is also measured at 3 and 4 and compared at its best.
QSIM_FUSION = {"qsim": 2, "qsim-f3": 3, "qsim-f4": 4}
for _name, _size in QSIM_FUSION.items():
    TIMING[_name] = TIMING["qsim"].replace("max_fused_gate_size=2", f"max_fused_gate_size={_size}")


def make_engine(engine, seed):
    """Returns prepare(qc, shots) -> (run() -> counts, extra info). The engine object is built once (a worker would
    keep it); prepare() converts the circuit (untimed in time_runs), run() simulates and samples (timed)."""
    if engine.startswith("aer"):
        from qiskit_aer import AerSimulator
        branching = engine == "aer-branching"
        backend = AerSimulator(method="statevector", precision="double", max_parallel_threads=THREADS,
                               shot_branching_enable=branching, shot_branching_sampling_enable=branching,
                               seed_simulator=seed)
        known = set(backend.target.operation_names)

        def prepare(qc, shots):
            circuit, replaced = convert.for_aer(qc, known)
            return (lambda: backend.run(circuit, shots=shots).result().get_counts()), {"replaced_gates": replaced}
        return prepare
    if engine == "qulacs":
        import qulacs

        def prepare(qc, shots):
            circuit, measured = convert.to_qulacs(qc)

            def run():
                state = qulacs.QuantumState(qc.num_qubits)
                circuit.update_quantum_state(state)
                samples = state.sampling(shots, seed)
                return Counter(convert.outcome_key(lambda q, s=s: (s >> q) & 1, measured, qc.num_clbits)
                               for s in samples)
            return run, {}
        return prepare
    if engine in QSIM_FUSION:
        import qsimcirq
        options = qsimcirq.QSimOptions(cpu_threads=THREADS, max_fused_gate_size=QSIM_FUSION[engine])
        simulator = qsimcirq.QSimSimulator(options, seed=seed)

        def prepare(qc, shots):
            circuit, measured = convert.to_cirq(qc)
            start = time.perf_counter()
            qsimcirq.QSimCircuit(circuit).translate_cirq_to_qsim()  # what run() does first; timed alone for its share
            extra = {"translate_seconds": time.perf_counter() - start}
            column = {qubit: i for i, qubit in enumerate(measured[c] for c in sorted(measured))}

            def run():
                rows = simulator.run(circuit, repetitions=shots).measurements["c"] if measured else []
                return Counter(convert.outcome_key(lambda q, r=r: int(r[column[q]]), measured, qc.num_clbits)
                               for r in rows)
            return run, extra
        return prepare
    raise SystemExit(f"unknown engine {engine}")


def time_runs(engine, path, shots, repeat, seed, warmup):
    qc = qasm3.loads(open(path).read())
    run, extra = make_engine(engine, seed)(qc, shots)
    if warmup:
        run()
    times, cpu, counts = [], [], {}
    for _ in range(repeat):
        start, cpu_start = time.perf_counter(), time.process_time()
        counts = run()
        times.append(time.perf_counter() - start)
        # Process CPU seconds (all threads), like qtq-bench's cpu_runs: comparable on a loaded machine.
        cpu.append(time.process_time() - cpu_start)
    top = dict(sorted(counts.items(), key=lambda kv: -kv[1])[:4])
    return {"engine": engine, "median_seconds": statistics.median(times), "min_seconds": min(times),
            "runs": times, "cpu_runs": cpu, "median_cpu_seconds": statistics.median(cpu),
            "warmup": warmup, "counts_sample": top, "timing": TIMING[engine], **extra}


def time_overhead(engine, path, shots, iterations, seed, batches=5):
    """Whole task per iteration: qasm3.loads + (conversion) + simulate + sample; median over batches."""
    text = open(path).read()
    prepare = make_engine(engine, seed)

    def task():
        run, _ = prepare(qasm3.loads(text), shots)
        return run()
    task()  # warm: imports, JIT-free but lazy initialisation
    per_task = []
    for _ in range(batches):
        start = time.perf_counter()
        for _ in range(max(1, iterations // batches)):
            task()
        per_task.append((time.perf_counter() - start) / max(1, iterations // batches))
    return {"engine": engine, "median_us_per_task": statistics.median(per_task) * 1e6,
            "min_us_per_task": min(per_task) * 1e6, "iterations": batches * max(1, iterations // batches),
            "timing": "per task, warm process, engine object reused: qasm3.loads(text) + conversion "
                      f"(Aer: none) + simulate + sample {shots} shots; median of {batches} batches"}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("engine", choices=sorted(TIMING))
    parser.add_argument("file")
    parser.add_argument("--shots", type=int, default=1024)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--warmup", action="store_true", help="one untimed run first (small circuits only)")
    parser.add_argument("--overhead-iterations", type=int, default=0)
    args = parser.parse_args()
    try:
        if args.overhead_iterations:
            result = time_overhead(args.engine, args.file, args.shots, args.overhead_iterations, args.seed)
        else:
            result = time_runs(args.engine, args.file, args.shots, args.repeat, args.seed, args.warmup)
    except convert.Unsupported as error:
        result = {"engine": args.engine, "unsupported": str(error)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
