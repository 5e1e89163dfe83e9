/// Scanning and constant folding for `StraightLineCompiler`: each helper answers nil/false (or stops) at
/// anything it does not recognise, so the caller can hand the program to the general front-end.
extension StraightLineCompiler {
    /// A folded parameter, typed as the general lowering types it (integer arithmetic stays integral).
    enum Number {
        case int(Int)
        case float(Double)

        var asDouble: Double {
            switch self {
            case .int(let value): return Double(value)
            case .float(let value): return value
            }
        }
    }

    /// `term (('+' | '-') term)*`, folded left to right like the general lowering.
    mutating func sum(depth: Int) -> Number? {
        guard depth < 32, var left = product(depth: depth) else { return nil }
        while true {
            guard skipSpace(), index < bytes.count else { return left }
            let op = bytes[index]
            guard op == UInt8(ascii: "+") || op == UInt8(ascii: "-") else { return left }
            // `++`, `+=`, `->`... are not arithmetic here.
            if index + 1 < bytes.count {
                let next = bytes[index + 1]
                if next == UInt8(ascii: "+") || next == UInt8(ascii: "-") || next == UInt8(ascii: "=") || next == UInt8(ascii: ">") {
                    return nil
                }
            }
            index += 1
            guard skipSpace(), let right = product(depth: depth) else { return nil }
            switch (left, right) {
            case (.int(let a), .int(let b)):
                let (result, overflow) = op == UInt8(ascii: "+") ? a.addingReportingOverflow(b) : a.subtractingReportingOverflow(b)
                guard !overflow else { return nil }
                left = .int(result)
            default:
                left = .float(op == UInt8(ascii: "+") ? left.asDouble + right.asDouble : left.asDouble - right.asDouble)
            }
        }
    }

    /// `unary (('*' | '/') unary)*`; `/` of two integers is real division, as in gate parameters generally.
    mutating func product(depth: Int) -> Number? {
        guard var left = unary(depth: depth) else { return nil }
        while true {
            guard skipSpace(), index < bytes.count else { return left }
            let op = bytes[index]
            guard op == UInt8(ascii: "*") || op == UInt8(ascii: "/") else { return left }
            if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "*") || bytes[index + 1] == UInt8(ascii: "=")
                || bytes[index + 1] == UInt8(ascii: "/") {
                return nil
            }
            index += 1
            guard skipSpace(), let right = unary(depth: depth) else { return nil }
            if op == UInt8(ascii: "/") {
                guard right.asDouble != 0 else { return nil }
                left = .float(left.asDouble / right.asDouble)
            } else if case .int(let a) = left, case .int(let b) = right {
                let (result, overflow) = a.multipliedReportingOverflow(by: b)
                guard !overflow else { return nil }
                left = .int(result)
            } else {
                left = .float(left.asDouble * right.asDouble)
            }
        }
    }

    /// `-unary` or a primary: a decimal literal, `pi`, `tau`, `euler` or a parenthesised sum.
    mutating func unary(depth: Int) -> Number? {
        if take(UInt8(ascii: "-")) {
            guard skipSpace(), let inner = unary(depth: depth + 1) else { return nil }
            switch inner {
            case .int(let value): return value == Int.min ? nil : .int(-value)
            case .float(let value): return .float(-value)
            }
        }
        if take(UInt8(ascii: "(")) {
            guard skipSpace(), let inner = sum(depth: depth + 1), symbol(UInt8(ascii: ")")) else { return nil }
            return inner
        }
        if let constant = name() {
            guard let value = Lowerer.builtinConstants[String(decoding: constant, as: UTF8.self)] else { return nil }
            return .float(value)
        }
        let start = index
        guard let whole = integer(allowingFraction: true) else { return nil }
        guard take(UInt8(ascii: ".")) else { return .int(whole) }
        let fraction = index
        while index < bytes.count && StraightLineCompiler.isDigit(bytes[index]) { index += 1 }
        guard index > fraction, index - start <= 20, index == bytes.count || !StraightLineCompiler.isLetter(bytes[index])
                && bytes[index] != UInt8(ascii: ".") && bytes[index] < 0x80,
              let value = Double(String(decoding: bytes[start..<index], as: UTF8.self)) else { return nil }
        return .float(value)
    }

    // MARK: Bytes

    /// Skips spaces, tabs, newlines and `//` comments. Always true (kept as a condition for readable chains).
    mutating func skipSpace() -> Bool {
        while index < bytes.count {
            switch bytes[index] {
            case 32, 9, 10, 13:
                index += 1
            case UInt8(ascii: "/"):
                // A lone `/` is division (callers reject it elsewhere, and reject `/*` everywhere).
                guard index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "/") else { return true }
                while index < bytes.count && bytes[index] != 10 { index += 1 }
            default:
                return true
            }
        }
        return true
    }

    mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// Optional space, then `byte`.
    mutating func symbol(_ byte: UInt8) -> Bool {
        skipSpace() && take(byte)
    }

    static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 95
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

    /// An ASCII identifier; nil if the next word is not one (or continues with a non-ASCII letter).
    mutating func name() -> Slice<UnsafeBufferPointer<UInt8>>? {
        let start = index
        guard index < bytes.count, StraightLineCompiler.isLetter(bytes[index]) else { return nil }
        while index < bytes.count && (StraightLineCompiler.isLetter(bytes[index]) || StraightLineCompiler.isDigit(bytes[index])) {
            index += 1
        }
        guard index == bytes.count || bytes[index] < 0x80 else { return nil }
        return bytes[start..<index]
    }

    /// Whether `word` is exactly the ASCII `literal`, compared byte by byte.
    static func spells(_ word: Slice<UnsafeBufferPointer<UInt8>>, _ literal: StaticString) -> Bool {
        guard word.count == literal.utf8CodeUnitCount else { return false }
        var offset = 0
        for byte in word {
            if byte != literal.utf8Start[offset] { return false }
            offset += 1
        }
        return true
    }

    mutating func word() -> String? {
        name().map { String(decoding: $0, as: UTF8.self) }
    }

    /// A plain decimal literal of at most 9 digits, not followed by a letter, digit or (unless it is the
    /// whole part of a decimal fraction) `.`.
    mutating func integer(allowingFraction: Bool = false) -> Int? {
        let start = index
        var value = 0
        while index < bytes.count && StraightLineCompiler.isDigit(bytes[index]) && index - start < 9 {
            value = value * 10 + Int(bytes[index] - 48)
            index += 1
        }
        guard index > start else { return nil }
        if index < bytes.count {
            let next = bytes[index]
            guard !StraightLineCompiler.isLetter(next), !StraightLineCompiler.isDigit(next),
                  next != UInt8(ascii: ".") || allowingFraction, next < 0x80 else { return nil }
        }
        return value
    }
}
