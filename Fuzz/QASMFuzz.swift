// libFuzzer entry point for the OpenQASM front-end (built by scripts/fuzz, not part of the package).
// Any input must produce a Circuit or a CompileFailure: a crash, trap or hang is a bug.

@_cdecl("LLVMFuzzerTestOneInput")
public func qasmFuzzTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let source = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let circuit = try QASMCompiler.compile(source)
        // Exercise runtime evaluation of whatever dynamic conditions the program produced.
        for instruction in circuit.instructions {
            switch instruction {
            case .ifElse(let condition, _, _), .whileLoop(let condition, _, _):
                _ = try? condition.evaluate(bit: { $0 % 2 == 0 }, variables: circuit.initialVariables)
            case .assign(_, let value), .assignBit(_, let value):
                _ = try? value.evaluate(bit: { $0 % 3 == 0 }, variables: circuit.initialVariables)
            default:
                break
            }
        }
    } catch {
        // Every failure must carry a positioned diagnostic that renders.
        _ = error.first.description
    }
    return 0
}
