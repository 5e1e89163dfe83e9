#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

extension ClassicalExpression {
    /// Runtime evaluation used by the engine for dynamic control flow. The compiler folds constants with
    /// this same function, so compile-time and run-time results always agree.
    ///
    /// Rules: `int op int` stays integer (overflow is an error, `/` truncates toward zero); any float
    /// operand makes the result float; bools count as 0/1 in arithmetic; comparisons and logic give bool.
    /// `rotl`/`rotr` take a third argument, the bit width (0 = 64).
    public func evaluate(bit: (Int) -> Bool, variables: [ClassicalValue]) throws(ClassicalEvaluationError) -> ClassicalValue {
        switch self {
        case .constant(let value):
            return value
        case .bit(let index):
            return .bool(bit(index))
        case .bits(let indices):
            var value = 0
            for (position, index) in indices.enumerated() where position < 63 && bit(index) {
                value |= 1 << position
            }
            return .int(value)
        case .variable(let slot):
            guard slot >= 0 && slot < variables.count else {
                throw ClassicalEvaluationError(message: "Variable slot \(slot) does not exist.")
            }
            return variables[slot]
        case .unary(let op, let operand):
            return try ClassicalArithmetic.unary(op, operand.evaluate(bit: bit, variables: variables))
        case .binary(let op, let left, let right):
            let lhs = try left.evaluate(bit: bit, variables: variables)
            // Short-circuit like C: the right side of && / || is not evaluated when the left decides.
            if op == .logicalAnd && !lhs.isTruthy { return .bool(false) }
            if op == .logicalOr && lhs.isTruthy { return .bool(true) }
            let rhs = try right.evaluate(bit: bit, variables: variables)
            return try ClassicalArithmetic.binary(op, lhs, rhs)
        case .call(let name, let arguments):
            var values: [ClassicalValue] = []
            values.reserveCapacity(arguments.count)
            for argument in arguments { values.append(try argument.evaluate(bit: bit, variables: variables)) }
            return try ClassicalArithmetic.call(name, values)
        case .cast(let target, let operand):
            return try ClassicalArithmetic.cast(operand.evaluate(bit: bit, variables: variables), to: target)
        }
    }
}
