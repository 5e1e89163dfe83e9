"""Checks the peers' circuit conversions: each small circuit, read back from its QASM 3 text, must give the same
state vector (up to global phase) in Aer (after convert.for_aer), Qulacs and qsim as in Qiskit. Exits 1 on a mismatch.

Usage: .venv/bin/python bench/check_convert.py
"""

import os
import sys

# bench/queue.py (the task-path benchmark) would shadow the standard library's queue, which Qiskit imports through
# multiprocessing: look for this folder's modules after the standard library's.
_BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _BENCH_DIR] + [_BENCH_DIR]

import cirq
import numpy as np
import qsimcirq
import qulacs
from qiskit import QuantumCircuit, qasm3
from qiskit.circuit.random import random_circuit
from qiskit.quantum_info import Statevector
from qiskit_aer import AerSimulator

import circuits
import convert


def assorted():
    """Every gate the converters map natively, with angles that expose sign or ordering mistakes."""
    qc = QuantumCircuit(3)
    qc.rx(0.3, 0)
    qc.ry(0.7, 1)
    qc.rz(1.1, 2)
    qc.p(0.4, 0)
    qc.u(0.1, 0.2, 0.3, 1)
    qc.cp(0.9, 2, 0)
    qc.sx(1)
    qc.sxdg(0)
    qc.sdg(2)
    qc.tdg(1)
    qc.swap(0, 2)
    qc.ccx(2, 0, 1)
    qc.cswap(1, 2, 0)
    qc.measure_all()
    return qc


def main():
    cases = {"qft_5": circuits.qft(5), "qv_6": circuits.quantum_volume(6), "ghz_5": circuits.ghz(5),
             "random_6_8": random_circuit(6, 8, seed=11, measure=True), "assorted_3": assorted()}
    failed = False
    for name, original in cases.items():
        qc = qasm3.loads(qasm3.dumps(original))  # the benchmark's own path: through the QASM text
        bare = qc.remove_final_measurements(inplace=False)
        expected = Statevector(bare).data
        circuit, _ = convert.to_qulacs(qc)
        state = qulacs.QuantumState(qc.num_qubits)
        circuit.update_quantum_state(state)
        qulacs_overlap = abs(np.vdot(expected, state.get_vector()))
        cirq_circuit, _ = convert.to_cirq(bare)
        # Reversed qubit order makes qsim's vector little-endian like Qiskit's.
        order = cirq.LineQubit.range(qc.num_qubits)[::-1]
        vector = qsimcirq.QSimSimulator().simulate(cirq_circuit, qubit_order=order).final_state_vector
        qsim_overlap = abs(np.vdot(expected, vector))
        aer = AerSimulator(method="statevector")
        lowered, _ = convert.for_aer(bare, set(aer.target.operation_names))
        lowered.save_statevector()
        aer_overlap = abs(np.vdot(expected, aer.run(lowered).result().get_statevector().data))
        ok = abs(qulacs_overlap - 1) < 1e-9 and abs(aer_overlap - 1) < 1e-9 and abs(qsim_overlap - 1) < 1e-5
        failed |= not ok  # qsim computes in complex64, hence its looser bound
        print(f"{name}: |<ref|psi>| aer {aer_overlap:.9f}, qulacs {qulacs_overlap:.9f}, qsim {qsim_overlap:.6f}: "
              + ("ok" if ok else "MISMATCH"))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
