/// A parsed statement with the position of its first token.
struct Statement: Sendable {
    indirect enum Kind: Sendable {
        case include(String)
        case qubitDeclaration(name: String, size: Expression?)
        case classicalDeclaration(ClassicalDeclaration)
        case alias(name: String, value: Expression)
        case gateDefinition(GateDefinition)
        case subroutine(SubroutineDefinition)
        case gateCall(GateCall)
        /// `measure q -> c;` (target nil for a bare `measure q;`).
        case measureArrow(source: Expression, target: Expression?)
        /// `target op= value;` where op is "=" or a compound operator such as "+=".
        case assignment(target: Expression, op: String, value: Expression)
        case reset(Expression)
        case barrier([Expression])
        case delay(qubits: [Expression])
        case ifElse(condition: Expression, then: [Statement], otherwise: [Statement]?)
        case forLoop(variable: String, iterable: Expression, body: [Statement])
        case whileLoop(condition: Expression, body: [Statement])
        case switchCase(subject: Expression, cases: [SwitchCase], defaultBody: [Statement]?)
        case breakLoop
        case continueLoop
        case returnValue(Expression?)
        case end
        case expression(Expression)
        case block([Statement])
        case externDeclaration(String)
        /// Statements a state-vector simulation may skip (pragmas, calibration, timing declarations).
        case ignored
    }

    var kind: Kind
    var location: SourceLocation

    init(_ kind: Kind, _ location: SourceLocation) {
        self.kind = kind
        self.location = location
    }
}

struct ClassicalDeclaration: Sendable {
    enum IOKind: Sendable { case none, input, output }
    var type: TypeSpec
    var name: String
    var initializer: Expression?
    var isConst: Bool
    var io: IOKind
}

struct GateDefinition: Sendable {
    var name: String
    var parameters: [String]
    var qubits: [String]
    var body: [Statement]
    var location: SourceLocation
}

struct SubroutineDefinition: Sendable {
    struct Parameter: Sendable {
        var type: TypeSpec
        var name: String
        var isMutable: Bool
    }
    var name: String
    var parameters: [Parameter]
    var returnType: TypeSpec?
    var body: [Statement]
    var location: SourceLocation
}

struct GateCall: Sendable {
    enum ModifierKind: Sendable {
        case inverse
        case power(Expression)
        case control(Expression?, negated: Bool)
    }
    struct Modifier: Sendable {
        var kind: ModifierKind
        var location: SourceLocation
    }
    var modifiers: [Modifier]
    var name: String
    var parameters: [Expression]
    var qubits: [Expression]
    var nameLocation: SourceLocation
}

struct SwitchCase: Sendable {
    var values: [Expression]
    var body: [Statement]
}
