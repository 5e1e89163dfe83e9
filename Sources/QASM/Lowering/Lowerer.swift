/// Walks the syntax tree once, folding everything known at compile time: static loops are unrolled, gates
/// inlined to matrices, subroutines inlined. What depends on measurements becomes runtime instructions.
struct Lowerer {
    enum GateEntry: Sendable {
        case native(NativeGate)
        case user(GateDefinition)
    }

    /// A loop being lowered: unrolled at compile time, or emitted as a runtime `whileLoop`.
    struct LoopContext {
        var isRuntime: Bool
        var dynamicDepth: Int
        var breakFlag: Int?
        var continueFlag: Int?
        /// Where to insert flag initialisation: buffer level and index at loop entry.
        var bufferLevel: Int
        var insertIndex: Int
    }

    struct SubroutineContext {
        var dynamicDepth: Int
        var loopDepth: Int
        var returnFlag: Int?
        var returnSlot: Int?
        var returnValue: Value?
        var returnType: ClassicalType?
        var bufferLevel: Int
        var insertIndex: Int
    }

    let options: CompileOptions
    var version: Int
    var scopes: [Scope] = [Scope(kind: .global)]
    var gates: [String: GateEntry] = [:]
    var userGateNames: Set<String> = []
    /// Declared `extern` functions: calling one is not simulable.
    var externNames: Set<String> = []
    var variables: [Variable] = []
    var arrays: [ClassicalArray] = []
    var qubitCount = 0
    var bitCount = 0
    var registers: [ClassicalRegister] = []
    var slotCount = 0
    var buffers: [[Instruction]] = [[]]
    /// Non-empty while a gate body is being lowered: its operations are collected here.
    var gateBuffers: [[GateOperation]] = []
    var operationCount = 0
    var dynamicDepth = 0
    var loops: [LoopContext] = []
    var subroutines: [SubroutineContext] = []
    var callDepth = 0
    var gateStack: [String] = []
    var localBits: [SourceLocation: [Int]] = [:]
    var gateCache: [GateCacheKey: [GateOperation]] = [:]
    /// Set while folding gate parameters and pow exponents: there `/` of two integers is real division,
    /// as stdgates.inc's own `pow(1/2) @ z` requires.
    var realDivision = false
    var work = 0
    /// `work` at which `options.stop` is next consulted (a clock read per step would dominate small programs).
    var nextStopCheck = 0
    /// Bits that hold results nobody declared (`measure q;`, `return measure q;`). They are numbered from
    /// `scratchBase` while lowering and moved after all declared bits at the end, outside every register.
    var scratchBitCount = 0
    static let scratchBase = 1 << 40
    /// Programs that address `$n` qubits have qubits 0...max(n) and declare none of their own.
    var usesHardwareQubits = false

    struct GateCacheKey: Hashable {
        var name: String
        var parameters: [Double]
    }

    init(options: CompileOptions, version: Int) {
        self.options = options
        self.version = version
        gates = StandardLibrary.builtinTable(version: version)
    }

    /// Lowers a parsed program. Errors are collected per top-level statement (so several can be reported);
    /// lowering stops at the first limit error, since later statements would only repeat it.
    static func lower(_ program: Parser.Program, options: CompileOptions) -> Result<Circuit, CompileErrors> {
        var lowerer = Lowerer(options: options, version: program.majorVersion)
        var errors: [CompileError] = []
        if let (index, location) = program.maxHardwareQubit {
            guard index < options.maxQubits else {
                return .failure(CompileErrors(errors: [CompileError(.limit, location, "Hardware qubit $\(index) is beyond the limit of \(options.maxQubits) qubits.")]))
            }
            lowerer.qubitCount = index + 1
            lowerer.usesHardwareQubits = true
        }
        for statement in program.statements {
            do throws(CompileError) {
                if case .exit(.end) = try lowerer.lowerStatement(statement) { break }
            } catch {
                errors.append(error)
                if error.kind == .limit || errors.count >= 20 { break }
                lowerer.recoverAfterError()
            }
        }
        if !errors.isEmpty { return .failure(CompileErrors(errors: errors)) }
        var instructions = lowerer.buffers[0]
        if lowerer.scratchBitCount > 0 {
            let shift = lowerer.bitCount - Lowerer.scratchBase
            instructions = instructions.map { $0.renumberingBits(from: Lowerer.scratchBase, by: shift) }
        }
        return .success(Circuit(
            qubitCount: lowerer.qubitCount,
            bitCount: lowerer.bitCount + lowerer.scratchBitCount,
            registers: lowerer.registers,
            variableCount: lowerer.slotCount,
            instructions: instructions))
    }

    /// Drops whatever a failed statement left half-built, keeping global declarations.
    mutating func recoverAfterError() {
        buffers = [buffers[0]]
        gateBuffers = []
        scopes = [scopes[0]]
        loops = []
        subroutines = []
        gateStack = []
        dynamicDepth = 0
        realDivision = false
    }

    /// Counts unrolling work (iterations, calls, emitted operations) so no input can make lowering hang.
    mutating func spendWork(_ amount: Int = 1, at location: SourceLocation) throws(CompileError) {
        work = work.addingReportingOverflow(amount).overflow ? Int.max : work + amount
        guard work <= workBudget else {
            throw CompileError(.limit, location,
                               "Unrolling this program takes more than \(workBudget) steps (loops, calls and operations together).")
        }
        if work >= nextStopCheck {
            nextStopCheck = work.addingReportingOverflow(4096).overflow ? Int.max : work + 4096
            switch options.stop.reason() {
            case .timeLimit?:
                throw CompileError(
                    .timeLimit, location, "Compilation was stopped at the task's time limit; make the program smaller or raise the limit."
                )
            case .some(let kind):
                throw CompileError(kind, location, "Compilation was cancelled.")
            case nil:
                break
            }
        }
    }

    var workBudget: Int { max(options.maxOperations, options.maxLoopIterations).multipliedReportingOverflow(by: 4).overflow ? Int.max : 4 * max(options.maxOperations, options.maxLoopIterations) }

    // MARK: Emission

    mutating func scratchBits(_ count: Int) -> [Int] {
        let bits = Array((Lowerer.scratchBase + scratchBitCount)..<(Lowerer.scratchBase + scratchBitCount + count))
        scratchBitCount += count
        return bits
    }

    mutating func emit(_ instruction: Instruction, at location: SourceLocation) throws(CompileError) {
        try spendWork(at: location)
        operationCount += 1
        guard operationCount <= options.maxOperations else {
            throw CompileError(.limit, location,
                               "The program has more than \(options.maxOperations) operations after unrolling loops and inlining gates.")
        }
        buffers[buffers.count - 1].append(instruction)
    }

    mutating func pushBuffer() { buffers.append([]) }

    mutating func popBuffer() -> [Instruction] { buffers.removeLast() }

    mutating func newSlot(initial: ClassicalValue, at location: SourceLocation) throws(CompileError) -> Int {
        let slot = slotCount
        slotCount += 1
        try emit(.assign(variable: slot, value: .constant(initial)), at: location)
        return slot
    }

    /// A runtime flag initialised to false at an earlier point of an enclosing buffer (loop or call entry).
    mutating func newFlag(level: Int, index: Int) -> Int {
        let slot = slotCount
        slotCount += 1
        buffers[level].insert(.assign(variable: slot, value: .constant(.bool(false))), at: min(index, buffers[level].count))
        return slot
    }

    // MARK: Scopes

    mutating func pushScope(_ kind: Scope.Kind) { scopes.append(Scope(kind: kind)) }
    mutating func popScope() { scopes.removeLast() }

    var isGlobalScope: Bool { scopes.count == 1 }
    var inGateBody: Bool { !gateBuffers.isEmpty }

    func lookup(_ name: String) -> Symbol? {
        // Indexing (rather than iterating `scopes.reversed()`) avoids copying each scope's table.
        for level in scopes.indices.reversed() {
            if let symbol = scopes[level].symbols[name] { return symbol }
            if scopes[level].kind == .gate {
                // Gate bodies see only their own names and global constants.
                if let symbol = scopes[0].symbols[name] {
                    switch symbol {
                    case .constant, .subroutine: return symbol
                    case .variable(let index) where variables[index].isConst: return symbol
                    default: return nil
                    }
                }
                return nil
            }
        }
        return nil
    }

    mutating func declare(_ name: String, _ symbol: Symbol, at location: SourceLocation) throws(CompileError) {
        // Gates live in their own table, so a register named like a gate (`bit[2] s;`) stays usable.
        if scopes[scopes.count - 1].symbols[name] != nil {
            throw CompileError(.redeclaration, location, "'\(name)' is already declared in this scope.")
        }
        if Lowerer.builtinConstants[name] != nil {
            throw CompileError(.redeclaration, location, "'\(name)' is a built-in constant and cannot be redeclared.")
        }
        scopes[scopes.count - 1].symbols[name] = symbol
    }

    func isReplaceableGate(_ name: String) -> Bool {
        if case .native(let gate) = gates[name] { return gate.isExtra }
        return false
    }

    static let builtinConstants: [String: Double] = [
        "pi": Double.pi, "π": Double.pi, "tau": 2 * Double.pi, "τ": 2 * Double.pi, "euler": 2.718281828459045,
        "ℇ": 2.718281828459045,
    ]

}
