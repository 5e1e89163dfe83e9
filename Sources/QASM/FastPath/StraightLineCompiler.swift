/// A one-pass compiler for the most common small programs: an OpenQASM 3 header, `include "stdgates.inc";`,
/// `qubit[n]` / `bit[n]` registers, standard gates on indexed qubits (parameters: arithmetic on decimal
/// literals and `pi`/`tau`/`euler`), parameterless gate definitions over those gates, and measurements
/// (`c = measure q;`, `c[i] = measure q[j];`, `measure q -> c;`), with `//` comments.
///
/// It exists for per-task overhead: the general front-end allocates a token array and a syntax tree, which
/// costs several times more than these programs need. It answers nil for anything else, including anything
/// the general front-end would reject, so that path produces the result (and every diagnostic) instead.
/// Tests check that whenever it answers, its circuit equals the general front-end's.
struct StraightLineCompiler {
    let bytes: UnsafeBufferPointer<UInt8>
    private let options: CompileOptions
    var index = 0
    private var gates: [String: Lowerer.GateEntry]?
    /// Gates the program defines: their operations on local qubits 0..<qubitCount.
    private var userGates: [String: (operations: [GateOperation], qubitCount: Int)] = [:]
    private var qubitRegisters: [(name: Slice<UnsafeBufferPointer<UInt8>>, offset: Int, size: Int)] = []
    private var bitRegisters: [(name: Slice<UnsafeBufferPointer<UInt8>>, offset: Int, size: Int)] = []
    private var qubitCount = 0
    private var bitCount = 0
    private var instructions: [Instruction] = []
    /// Gate calls plus emitted instructions: what the general lowering charges against its work budget.
    private var work = 0

    private init(bytes: UnsafeBufferPointer<UInt8>, options: CompileOptions) {
        self.bytes = bytes
        self.options = options
    }

    static func compile(_ source: String, options: CompileOptions) -> Circuit? {
        var copy = source
        return copy.withUTF8 { bytes in
            var compiler = StraightLineCompiler(bytes: bytes, options: options)
            return compiler.program()
        }
    }

    private mutating func program() -> Circuit? {
        guard word() == "OPENQASM", skipSpace() else { return nil }
        guard take(UInt8(ascii: "3")) else { return nil }
        if take(UInt8(ascii: ".")) { guard take(UInt8(ascii: "0")) else { return nil } }
        guard symbol(UInt8(ascii: ";")) else { return nil }
        instructions.reserveCapacity(16)
        while true {
            guard skipSpace() else { return nil }
            if index == bytes.count { break }
            guard statement() else { return nil }
        }
        return Circuit(qubitCount: qubitCount, bitCount: bitCount,
                       registers: bitRegisters.map { ClassicalRegister(name: String(decoding: $0.name, as: UTF8.self), offset: $0.offset, size: $0.size) },
                       instructions: instructions)
    }

    private mutating func statement() -> Bool {
        let start = index
        guard let first = name() else { return false }
        switch first.count {
        case 7 where Self.spells(first, "include"):
            guard gates == nil, skipSpace(), take(UInt8(ascii: "\"")) else { return false }
            let path = index
            while index < bytes.count && bytes[index] != UInt8(ascii: "\"") { index += 1 }
            guard Self.spells(bytes[path..<index], "stdgates.inc"), take(UInt8(ascii: "\"")) else { return false }
            gates = StandardLibrary.includedTable(stdgates: true, version: 3)
            return symbol(UInt8(ascii: ";"))
        case 5 where Self.spells(first, "qubit"):
            return declaration(isQubit: true)
        case 3 where Self.spells(first, "bit"):
            return declaration(isQubit: false)
        case 4 where Self.spells(first, "gate"):
            return gateDefinition()
        case 7 where Self.spells(first, "measure"):
            // `measure q -> c;`
            guard skipSpace(), let source = operand(qubits: true), skipSpace(),
                  take(UInt8(ascii: "-")), take(UInt8(ascii: ">")),
                  skipSpace(), let target = operand(qubits: false) else { return false }
            return measure(source, into: target) && symbol(UInt8(ascii: ";"))
        default:
            guard skipSpace() else { return false }
            if index < bytes.count && (bytes[index] == UInt8(ascii: "=") || bytes[index] == UInt8(ascii: "[")) {
                // `c = measure q;` or `c[i] = measure q[j];`
                index = start
                guard let target = operand(qubits: false), symbol(UInt8(ascii: "=")), skipSpace(),
                      name().map({ Self.spells($0, "measure") }) == true,
                      skipSpace(), let source = operand(qubits: true) else { return false }
                return measure(source, into: target) && symbol(UInt8(ascii: ";"))
            }
            return gateCall(String(decoding: first, as: UTF8.self))
        }
    }

    /// `qubit[n] name;` or `bit[n] name;` at global scope.
    private mutating func declaration(isQubit: Bool) -> Bool {
        guard symbol(UInt8(ascii: "[")), skipSpace(), let size = integer(), symbol(UInt8(ascii: "]")), skipSpace(),
              let registerName = name(), symbol(UInt8(ascii: ";")), size >= 1 else { return false }
        let text = String(decoding: registerName, as: UTF8.self)
        // Reserved words and built-in constants all have two letters or more: `q` and `c` skip the lookups.
        guard registerName.count == 1 || (!Parser.reservedWords.contains(text) && Lowerer.builtinConstants[text] == nil),
              !qubitRegisters.contains(where: { $0.name.elementsEqual(registerName) }),
              !bitRegisters.contains(where: { $0.name.elementsEqual(registerName) }) else { return false }
        if isQubit {
            guard size <= options.maxQubits && qubitCount + size <= options.maxQubits else { return false }
            qubitRegisters.append((registerName, qubitCount, size))
            qubitCount += size
        } else {
            // Past a limit, the general front-end reports it with its position.
            guard size <= 4096 && bitCount + size <= options.maxClassicalBits else { return false }
            bitRegisters.append((registerName, bitCount, size))
            bitCount += size
        }
        return true
    }

    /// `name` (a whole register) or `name[i]`, resolved to qubit or bit numbers.
    private mutating func operand(qubits: Bool) -> (numbers: Range<Int>, isRegister: Bool)? {
        guard let operandName = name() else { return nil }
        let registers = qubits ? qubitRegisters : bitRegisters
        guard let register = registers.first(where: { $0.name.elementsEqual(operandName) }) else { return nil }
        let mark = index
        guard skipSpace() else { return nil }
        guard take(UInt8(ascii: "[")) else {
            index = mark
            return (register.offset..<(register.offset + register.size), true)
        }
        guard skipSpace(), let i = integer(), symbol(UInt8(ascii: "]")), i < register.size else { return nil }
        return ((register.offset + i)..<(register.offset + i + 1), false)
    }

    private mutating func measure(_ source: (numbers: Range<Int>, isRegister: Bool),
                                  into target: (numbers: Range<Int>, isRegister: Bool)) -> Bool {
        guard source.numbers.count == target.numbers.count else { return false }
        for (q, b) in zip(source.numbers, target.numbers) {
            guard emit(.measure(qubit: q, bit: b)) else { return false }
        }
        return true
    }

    /// The operations (on local qubits) of a library gate after its `(parameters)`, or of a user gate.
    private mutating func callee(_ gateName: String) -> (operations: [GateOperation], qubitCount: Int)? {
        // No reserved word can be found here: definitions refuse them, and the library has none
        // (StraightLineCompilerTests checks).
        guard let gates else { return nil }
        if !userGates.isEmpty, let user = userGates[gateName] {
            return index < bytes.count && bytes[index] == UInt8(ascii: "(") ? nil : user
        }
        guard case .native(let gate)? = gates[gateName] else { return nil }
        var parameters: [Double] = []
        if take(UInt8(ascii: "(")) {
            repeat {
                guard skipSpace(), let value = sum(depth: 0)?.asDouble, value.isFinite else { return nil }
                parameters.append(value)
            } while symbol(UInt8(ascii: ","))
            guard symbol(UInt8(ascii: ")")) else { return nil }
        }
        guard parameters.count == gate.parameterCount else { return nil }
        return (gate.fixedOperations ?? gate.build(parameters), gate.qubitCount)
    }

    /// `gate name a, b { g a; g2 a, b; }`: no parameters; the body calls library or earlier user gates on the
    /// arguments. Its operations are stored in local numbering, as the general lowering caches them.
    private mutating func gateDefinition() -> Bool {
        guard gates != nil, options.maxRecursionDepth >= 2, skipSpace(), let nameBytes = name() else { return false }
        let gateName = String(decoding: nameBytes, as: UTF8.self)
        guard gateName != "U", gateName != "gphase", !Parser.reservedWords.contains(gateName),
              gates?[gateName] == nil, userGates[gateName] == nil,
              !qubitRegisters.contains(where: { $0.name.elementsEqual(nameBytes) }),
              !bitRegisters.contains(where: { $0.name.elementsEqual(nameBytes) }) else { return false }
        var arguments: [Slice<UnsafeBufferPointer<UInt8>>] = []
        repeat {
            guard skipSpace(), let argument = name() else { return false }
            let text = String(decoding: argument, as: UTF8.self)
            guard !Parser.reservedWords.contains(text), Lowerer.builtinConstants[text] == nil,
                  !arguments.contains(where: { $0.elementsEqual(argument) }) else { return false }
            arguments.append(argument)
        } while symbol(UInt8(ascii: ","))
        guard symbol(UInt8(ascii: "{")) else { return false }
        var body: [GateOperation] = []
        while true {
            guard skipSpace() else { return false }
            if take(UInt8(ascii: "}")) { break }
            guard let callName = name(), skipSpace(),
                  let (operations, qubitCount) = callee(String(decoding: callName, as: UTF8.self)) else { return false }
            var map: [Int] = []
            repeat {
                guard skipSpace(), let argument = name(),
                      let local = arguments.firstIndex(where: { $0.elementsEqual(argument) }),
                      !map.contains(local) else { return false }
                map.append(local)
            } while symbol(UInt8(ascii: ","))
            guard map.count == qubitCount, symbol(UInt8(ascii: ";")) else { return false }
            work += 1 + operations.count
            guard work <= options.maxOperations && work <= options.maxLoopIterations else { return false }
            for operation in operations { body.append(operation.mapped(map)) }
        }
        userGates[gateName] = (body, arguments.count)
        return true
    }

    /// `g q[i], q[j];` or `g(θ, ...) q[i];` for a library or user gate on single, distinct qubits.
    private mutating func gateCall(_ gateName: String) -> Bool {
        guard let (operations, qubitCount) = callee(gateName) else { return false }
        // The gate's local qubit j is map[j] (on the stack: most calls allocate nothing but their instruction).
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: qubitCount) { map in
            var count = 0
            repeat {
                guard count < qubitCount, skipSpace(), let qubit = operand(qubits: true), !qubit.isRegister,
                      !map[..<count].contains(qubit.numbers.lowerBound) else { return false }
                map[count] = qubit.numbers.lowerBound
                count += 1
                guard skipSpace() else { return false }
            } while take(UInt8(ascii: ","))
            guard count == qubitCount, symbol(UInt8(ascii: ";")) else { return false }
            work += 1
            // `cx q[0], q[1];` keeps the library's numbering: its operand lists are shared, not rebuilt.
            let identity = (0..<qubitCount).allSatisfy { map[$0] == $0 }
            for operation in operations {
                switch operation {
                case .phase(let angle):
                    if angle != 0 { guard emit(.globalPhase(angle)) else { return false } }
                case .unitary(let u):
                    guard emit(.gate(GateApplication(
                        name: u.name, targets: identity ? u.targets : u.targets.map { map[$0] }, matrix: u.matrix,
                        controls: identity ? u.controls : u.controls.map { map[$0] }, controlValues: u.controlValues))) else { return false }
                case .runtimeUnitary, .runtimePhase, .runtimeBlock:
                    // Parameters here are literals, so this cannot happen; the general front-end would handle it.
                    return false
                }
            }
            return true
        }
    }

    private mutating func emit(_ instruction: Instruction) -> Bool {
        work += 1
        // Far below the general limits (which count the same things), so those can never be what decides.
        guard work <= options.maxOperations && work <= options.maxLoopIterations else { return false }
        instructions.append(instruction)
        return true
    }
}
