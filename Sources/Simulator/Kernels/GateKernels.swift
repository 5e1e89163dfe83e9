/// Scalar kernels for states too small for lanes (fewer than three qubits): each visits only the controlled
/// subspace, run by run. They allocate nothing (a small task applies them a few times and little else).
enum GateKernels {
    @_specialize(where S == Double)
    @_specialize(where S == Float)
    static func apply<S: StateScalar>(_ gate: CompiledGate, to state: StateView<S>) {
        let layout = RunLayout(qubits: state.qubits, fixedMask: gate.qubitMask)
        let range = 0..<layout.runCount
        switch gate.kind {
        case .diagonal:
            diagonal(gate, state, layout, range)
        case .dense where gate.targets.count == 1:
            dense1(gate, state, layout, range)
        case .monomial, .dense:
            general(gate, state, layout, range)
        }
    }

    /// Offset of amplitude `j` of a group from the group's first index (bit b of `j` is `targets[b]`).
    @inline(__always)
    static func offset(_ j: Int, of targets: [Int]) -> Int {
        var offset = 0
        for (bit, qubit) in targets.enumerated() where j & (1 << bit) != 0 { offset |= 1 << qubit }
        return offset
    }

    private static func dense1<S: StateScalar>(_ gate: CompiledGate, _ s: StateView<S>, _ layout: RunLayout, _ runs: Range<Int>) {
        let m = gate.matrixRe, n = gate.matrixIm
        let (m00r, m01r, m10r, m11r) = (S(m[0]), S(m[1]), S(m[2]), S(m[3]))
        let (m00i, m01i, m10i, m11i) = (S(n[0]), S(n[1]), S(n[2]), S(n[3]))
        let stride = 1 << gate.targets[0]
        let re = s.re, im = s.im
        let length = layout.runLength
        for r in runs {
            let start = layout.runStart(r) | gate.controlValues
            let re0 = re + start, im0 = im + start
            let re1 = re0 + stride, im1 = im0 + stride
            for l in 0..<length {
                let ar = re0[l], ai = im0[l], br = re1[l], bi = im1[l]
                re0[l] = m00r * ar - m00i * ai + m01r * br - m01i * bi
                im0[l] = m00r * ai + m00i * ar + m01r * bi + m01i * br
                re1[l] = m10r * ar - m10i * ai + m11r * br - m11i * bi
                im1[l] = m10r * ai + m10i * ar + m11r * bi + m11i * br
            }
        }
    }

    private static func diagonal<S: StateScalar>(_ gate: CompiledGate, _ s: StateView<S>, _ layout: RunLayout, _ runs: Range<Int>) {
        let dimension = gate.dimension
        let re = s.re, im = s.im
        let length = layout.runLength
        for j in 0..<dimension {
            let dr = S(gate.matrixRe[j * dimension + j]), di = S(gate.matrixIm[j * dimension + j])
            // Entries equal to one leave their amplitudes alone (a controlled phase touches a quarter).
            if dr == 1 && di == 0 { continue }
            let offset = offset(j, of: gate.targets) | gate.controlValues
            for r in runs {
                let base = layout.runStart(r) | offset
                let pr = re + base, pi = im + base
                for l in 0..<length {
                    let ar = pr[l], ai = pi[l]
                    pr[l] = dr * ar - di * ai
                    pi[l] = dr * ai + di * ar
                }
            }
        }
    }

    /// Any matrix: gather the group, multiply (skipping zeros), scatter. The tables live on the stack.
    private static func general<S: StateScalar>(_ gate: CompiledGate, _ s: StateView<S>, _ layout: RunLayout, _ runs: Range<Int>) {
        let dimension = gate.dimension
        withUnsafeTemporaryAllocation(of: Int.self, capacity: dimension * (dimension + 2)) { integers in
            withUnsafeTemporaryAllocation(of: S.self, capacity: 2 * dimension * (dimension + 1)) { scalars in
                // Sparse rows: row r's non-zeros are entries rowStart[r]..<rowStart[r + 1] of (column, re, im), so
                // monomial gates cost one product per amplitude.
                let offsets = integers.baseAddress!, rowStart = offsets + dimension, columns = rowStart + dimension + 1
                let entryRe = scalars.baseAddress!, entryIm = entryRe + dimension * dimension
                let inRe = entryIm + dimension * dimension, inIm = inRe + dimension
                var entries = 0
                for row in 0..<dimension {
                    offsets[row] = offset(row, of: gate.targets)
                    rowStart[row] = entries
                    for column in 0..<dimension {
                        let er = gate.matrixRe[row * dimension + column], ei = gate.matrixIm[row * dimension + column]
                        if abs(er) > CompiledGate.zeroTolerance || abs(ei) > CompiledGate.zeroTolerance {
                            columns[entries] = column
                            entryRe[entries] = S(er)
                            entryIm[entries] = S(ei)
                            entries += 1
                        }
                    }
                }
                rowStart[dimension] = entries
                let re = s.re, im = s.im
                let length = layout.runLength
                for r in runs {
                    let start = layout.runStart(r) | gate.controlValues
                    for l in 0..<length {
                        let base = start + l
                        for j in 0..<dimension {
                            inRe[j] = re[base + offsets[j]]
                            inIm[j] = im[base + offsets[j]]
                        }
                        for row in 0..<dimension {
                            var sr: S = 0, si: S = 0
                            for entry in rowStart[row]..<rowStart[row + 1] {
                                let column = columns[entry], er = entryRe[entry], ei = entryIm[entry]
                                sr += er * inRe[column] - ei * inIm[column]
                                si += er * inIm[column] + ei * inRe[column]
                            }
                            re[base + offsets[row]] = sr
                            im[base + offsets[row]] = si
                        }
                    }
                }
            }
        }
    }
}
