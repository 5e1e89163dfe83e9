"""Converts a Qiskit circuit (as parsed from the benchmark's QASM 3 text) into Qulacs and Cirq circuits.

Both converters map the gates the benchmark circuits use to the peer's native gates, and fall back to the gate's
exact unitary (from Qiskit's definition) for anything else, so a custom `gate` from the QASM text still converts.
Terminal measurements are returned separately as a {clbit: qubit} map: peers sample the final state instead.
"""

import cirq
import numpy as np
import qulacs
from qiskit.circuit import Gate
from qiskit.circuit.library import UnitaryGate
from qiskit.quantum_info import Operator

SKIPPED = {"barrier", "id", "delay"}


class Unsupported(Exception):
    """The circuit needs something the peer converter does not model (mid-circuit measurement, control flow)."""


def split_terminal_measurements(qc):
    """Returns (gate instructions as (operation, qubit indices), {clbit index: qubit index}); rejects mid-circuit ones."""
    gates, measured = [], {}
    for inst in qc.data:
        op = inst.operation
        qubits = [qc.find_bit(q).index for q in inst.qubits]
        if op.name == "measure":
            measured[qc.find_bit(inst.clbits[0]).index] = qubits[0]
        elif op.name in SKIPPED:
            continue
        elif op.name in ("if_else", "while_loop", "for_loop", "switch_case", "reset"):
            raise Unsupported(f"'{op.name}' is not converted for this peer")
        elif measured and any(q in measured.values() for q in qubits):
            raise Unsupported("gate after a measurement on the same qubit (mid-circuit measurement)")
        else:
            gates.append((op, qubits))
    return gates, measured


def outcome_key(sample_bits, measured, bit_count):
    """Formats one shot as Qiskit does: clbit 0 rightmost. sample_bits(qubit) -> 0/1."""
    bits = ["0"] * bit_count
    for clbit, qubit in measured.items():
        bits[bit_count - 1 - clbit] = str(sample_bits(qubit))
    return "".join(bits)


# --- Aer -----------------------------------------------------------------------------------------------------------

def for_aer(qc, known_names):
    """Aer's run() does not unroll: a gate it has no name for (e.g. `ch`, or a custom `gate` from the QASM text) is
    replaced by its exact unitary, as the other peers get it. Circuits with only known gates are returned as is."""
    def unknown(op):
        return isinstance(op, Gate) and op.name not in known_names  # barriers, measures etc. pass as they are

    if not any(unknown(inst.operation) for inst in qc.data):
        return qc, []
    lowered = qc.copy_empty_like()
    replaced = set()
    for inst in qc.data:
        op = inst.operation
        if not unknown(op):
            lowered.append(inst)
        else:
            replaced.add(op.name)
            lowered.append(UnitaryGate(Operator(op), label=op.name), inst.qubits)
    return lowered, sorted(replaced)


# --- Qulacs -------------------------------------------------------------------------------------------------------

def to_qulacs(qc):
    gates, measured = split_terminal_measurements(qc)
    circuit = qulacs.QuantumCircuit(qc.num_qubits)
    for op, q in gates:
        _add_qulacs_gate(circuit, op, q)
    return circuit, measured


def _add_qulacs_gate(circuit, op, q):
    name, params = op.name, [float(p) for p in op.params] if _numeric(op) else None
    simple = {
        "h": circuit.add_H_gate, "x": circuit.add_X_gate, "y": circuit.add_Y_gate, "z": circuit.add_Z_gate,
        "s": circuit.add_S_gate, "sdg": circuit.add_Sdag_gate, "t": circuit.add_T_gate, "tdg": circuit.add_Tdag_gate,
        "sx": circuit.add_sqrtX_gate, "sxdg": circuit.add_sqrtXdag_gate,
    }
    if name in simple:
        simple[name](q[0])
    elif name == "cx":
        circuit.add_CNOT_gate(q[0], q[1])
    elif name == "cz":
        circuit.add_CZ_gate(q[0], q[1])
    elif name == "swap":
        circuit.add_SWAP_gate(q[0], q[1])
    elif name in ("rx", "ry", "rz"):
        # Qulacs' RotX/RotY/RotZ use Qiskit's sign convention exp(-i θ/2 P) (its RX/RY/RZ use the opposite one).
        {"rx": circuit.add_RotX_gate, "ry": circuit.add_RotY_gate, "rz": circuit.add_RotZ_gate}[name](q[0], params[0])
    elif name in ("u", "u3", "U"):
        circuit.add_U3_gate(q[0], *params)
    elif name in ("p", "u1"):
        circuit.add_U1_gate(q[0], params[0])
    elif name == "cp":
        # A controlled diagonal 1-qubit matrix: Qulacs' own representation of a controlled phase.
        gate = qulacs.gate.to_matrix_gate(qulacs.gate.U1(q[1], params[0]))
        gate.add_control_qubit(q[0], 1)
        circuit.add_gate(gate)
    else:
        # Qulacs' dense-matrix targets follow Qiskit's order (first target = least significant bit).
        circuit.add_dense_matrix_gate(list(q), Operator(op).data)


def _numeric(op):
    try:
        [float(p) for p in op.params]
        return True
    except TypeError:
        return False


# --- Cirq (for qsim) ------------------------------------------------------------------------------------------------

def to_cirq(qc, measurement_key="c"):
    gates, measured = split_terminal_measurements(qc)
    qubits = cirq.LineQubit.range(qc.num_qubits)
    ops = [_cirq_op(op, [qubits[i] for i in q]) for op, q in gates]
    if measured:
        # One measurement gate over the measured qubits, ordered by clbit; outcome_key maps them back.
        order = sorted(measured)
        ops.append(cirq.measure(*[qubits[measured[c]] for c in order], key=measurement_key))
    return cirq.Circuit(ops), measured


def _cirq_op(op, q):
    name = op.name
    p = [float(x) for x in op.params] if _numeric(op) else None
    fixed = {
        "h": cirq.H, "x": cirq.X, "y": cirq.Y, "z": cirq.Z, "s": cirq.S, "sdg": cirq.S**-1,
        "t": cirq.T, "tdg": cirq.T**-1, "sx": cirq.X**0.5, "sxdg": cirq.X**-0.5,
        "cx": cirq.CNOT, "cz": cirq.CZ, "swap": cirq.SWAP, "ccx": cirq.CCX, "cswap": cirq.CSWAP,
    }
    if name in fixed:
        return fixed[name].on(*q)
    if name in ("rx", "ry", "rz"):
        return {"rx": cirq.rx, "ry": cirq.ry, "rz": cirq.rz}[name](p[0]).on(*q)
    if name in ("p", "u1"):
        return cirq.ZPowGate(exponent=p[0] / np.pi).on(*q)
    if name == "cp":
        return cirq.CZPowGate(exponent=p[0] / np.pi).on(*q)
    # Cirq's matrix index puts the first qubit most significant; Qiskit's puts it least: reverse the qubits.
    return cirq.MatrixGate(Operator(op).data).on(*reversed(q))
