// libFuzzer entry point for the OpenQASM front-end (built by scripts/fuzz, not part of the package).
// Any input must produce a Circuit or a CompileFailure: a crash, trap or hang is a bug.

@_cdecl("LLVMFuzzerTestOneInput")
public func qasmFuzzTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let source = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let circuit = try QASMCompiler.compile(source)
        exerciseRuntimeEvaluation(circuit.instructions, variables: circuit.initialVariables)
    } catch {
        // Every failure must carry a positioned diagnostic that renders.
        _ = error.first.description
    }
    return 0
}

/// Evaluates every run-time expression the program produced (nested blocks too), and builds every run-time
/// gate's matrix, as the engine would on some branch.
private func exerciseRuntimeEvaluation(_ instructions: [Instruction], variables: [ClassicalValue]) {
    for instruction in instructions {
        switch instruction {
        case .ifElse(let condition, let then, let otherwise):
            _ = try? condition.evaluate(bit: { $0 % 2 == 0 }, variables: variables)
            exerciseRuntimeEvaluation(then, variables: variables)
            exerciseRuntimeEvaluation(otherwise, variables: variables)
        case .whileLoop(let condition, let body, _):
            _ = try? condition.evaluate(bit: { $0 % 2 == 0 }, variables: variables)
            exerciseRuntimeEvaluation(body, variables: variables)
        case .assign(_, let value), .assignBit(_, let value):
            _ = try? value.evaluate(bit: { $0 % 3 == 0 }, variables: variables)
        case .runtimeGate(let gate):
            _ = try? gate.resolved(bit: { $0 % 2 == 1 }, variables: variables)
        case .runtimeBlock(let block):
            _ = try? block.resolved(bit: { $0 % 2 == 1 }, variables: variables)
        default:
            break
        }
    }
}
