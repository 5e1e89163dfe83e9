"""Renders a `scripts/bench sim` JSON document as a Markdown table (for the README and notes).

Usage: python bench/table.py RESULTS.json   (or pipe the JSON on stdin)
"""

import json
import sys

PEERS = ["aer", "aer-branching", "qulacs", "qsim", "qsim-best"]
FUSION = {"qsim": "f2", "qsim-f3": "f3", "qsim-f4": "f4"}


def ratio(value):
    return f" (×{value:.2f})" if value is not None else ""


def cell(seconds):
    if seconds is None:
        return "–"
    return f"{seconds * 1e3:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def main():
    document = json.load(open(sys.argv[1]) if len(sys.argv) > 1 else sys.stdin)
    machine = document["machine"]
    print(f"{document['date']}, {machine['cpu']}, {machine['cores']} cores, {machine['memory_gib']} GiB, "
          f"{document['threads']} threads per engine; CPU SIMD features: "
          f"{' '.join(machine.get('cpu_flags', [])) or 'not recorded'}\n")
    print("| circuit | qubits | gates | passes | floor | ours | " + " | ".join(PEERS) + " |")
    print("|---|---:|---:|---:|---:|---:|" + "---:|" * len(PEERS))
    for case in document["circuits"]:
        ours, peers, ratios = case.get("ours", {}), case.get("peers", {}), case.get("ratios", {})
        if case["name"] == "bell_2":
            def us(r):
                return f"{r['median_us_per_task']:.0f} µs/task" if r.get("median_us_per_task") else "–"
            row = [us(ours)] + [f"{us(peers[p])}{ratio(ratios.get(p))}" if p in peers else "–" for p in PEERS]
            print(f"| bell_2 (per task) | 2 | 2 | – | – | " + " | ".join(row) + " |")
            continue
        row = [cell(ours.get("median_seconds")) if "error" not in ours else "error"]
        for p in PEERS:
            if p == "qsim-best":
                best = case.get("median_seconds", {}).get("qsim-best")
                size = FUSION.get(case.get("median_seconds", {}).get("qsim-best-engine"), "")
                row.append(f"{cell(best)}{ratio(ratios.get(p))} {size}" if best else "–")
                continue
            result = peers.get(p)
            if result is None or "unsupported" in result:
                row.append("–")
            elif "error" in result:
                row.append("error")
            else:
                row.append(f"{cell(result['median_seconds'])}{ratio(ratios.get(p))}")
        gates = case.get("gates") or case["qiskit_gates"]
        print(f"| {case['name']} | {case['qubits']} | {gates} | {case.get('passes') or '–'} | "
              f"{cell(case.get('bandwidth_floor_seconds'))} | " + " | ".join(row) + " |")
    print("\n(×r) = peer median / our median: above 1, ours is faster. floor = 2·16·2ⁿ bytes × passes / 40 GB/s. "
          "qsim = fusion 2 (its default), qsim-best = its fastest of max_fused_gate_size 2/3/4 (fN: the size).")


if __name__ == "__main__":
    main()
