import QASM

/// The classical side of one shot branch: measured bits, runtime variables and while-loop counters.
struct ClassicalState: Sendable, Hashable {
    var bits: [Bool]
    var variables: [ClassicalValue]
    var loopCounters: [Int]

    init(program: Program) {
        bits = Array(repeating: false, count: program.bitCount)
        variables = program.initialVariables
        loopCounters = Array(repeating: 0, count: program.loopSlots)
    }

    /// Evaluates with the front-end's single definition of classical semantics.
    func value(of expression: ClassicalExpression) throws(SimulationError) -> ClassicalValue {
        let bits = self.bits
        do {
            return try expression.evaluate(bit: { $0 >= 0 && $0 < bits.count && bits[$0] }, variables: variables)
        } catch {
            throw .classicalEvaluation(error.message)
        }
    }

    /// A run-time gate with its angles evaluated in this state.
    func resolve(_ gate: RuntimeGateApplication) throws(SimulationError) -> GateApplication {
        let bits = self.bits
        do {
            return try gate.resolved(bit: { $0 >= 0 && $0 < bits.count && bits[$0] }, variables: variables)
        } catch {
            throw .classicalEvaluation(error.message)
        }
    }

    /// A run-time block's gates with its angles evaluated in this state (its uncontrolled phase is dropped).
    func resolve(_ block: RuntimeBlock) throws(SimulationError) -> [GateApplication] {
        let bits = self.bits
        do {
            return try block.resolved(bit: { $0 >= 0 && $0 < bits.count && bits[$0] }, variables: variables).gates
        } catch {
            throw .classicalEvaluation(error.message)
        }
    }

    func truth(of expression: ClassicalExpression) throws(SimulationError) -> Bool {
        try value(of: expression).isTruthy
    }
}
