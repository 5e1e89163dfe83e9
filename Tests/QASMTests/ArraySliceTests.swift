import Testing
@testable import QASM

/// Slices of classical arrays: ranges with negative indices and steps, several dimensions, copies,
/// slice assignment (also overlapping and at run time), and slices passed to subroutines by reference.
@Suite struct ArraySliceTests {
    static let header = "OPENQASM 3.0;\ninclude \"stdgates.inc\";\n"
    static let five = "array[int[32], 5] a = {10, 11, 12, 13, 14};\n"

    /// Runs a program that computes `int result` and stores it in a 32-bit register; returns it.
    static func result(_ body: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Int? {
        let d = try distribution(header + five + body + "\nbit[32] out = result;", sourceLocation: sourceLocation)
        #expect(d.count == 1, "not deterministic: \(d)", sourceLocation: sourceLocation)
        return d.keys.first.flatMap { Int($0, radix: 2) }
    }

    /// Digits in order: [10, 12] → 1012.
    static let concatenate = "int result = 0;\nfor int v in SLICE { result = result * 100 + v; }"

    static func digits(_ slice: String) -> String { concatenate.replacingOccurrences(of: "SLICE", with: slice) }

    @Test func rangesNegativeIndicesAndSteps() throws {
        #expect(try Self.result(Self.digits("a[1:3]")) == 111213)
        #expect(try Self.result(Self.digits("a[-2:]")) == 1314)
        #expect(try Self.result(Self.digits("a[:1]")) == 1011)
        #expect(try Self.result(Self.digits("a[4:-2:0]")) == 141210)
        #expect(try Self.result(Self.digits("a[0:2:4]")) == 101214)
        #expect(try Self.result(Self.digits("a[{3, 0}]")) == 1310)
    }

    @Test func multiDimensionalSlices() throws {
        let matrix = "array[int[8], 2, 3] m = {{1, 2, 3}, {4, 5, 6}};\n"
        #expect(try Self.result(matrix + Self.digits("m[1, 0:1]")) == 405)
        #expect(try Self.result(matrix + Self.digits("m[1][1:2]")) == 506)
        #expect(try Self.result(matrix + "array[int[8], 2] column = m[0:1, 2];\n" + Self.digits("column")) == 306)
        #expect(try Self.result(matrix + "m[0] = m[1];\n" + Self.digits("m[0]")) == 40506)
        #expect(try Self.result(matrix + "int result = sizeof(m[0:1, 1:2], 1) * 10 + sizeof(m[1, :]);") == 23)
    }

    @Test func copiesAndSliceAssignment() throws {
        #expect(try Self.result("array[int[32], 3] b = a[2:4];\na[0:1] = b[1:2];\n" + Self.digits("a")) == 1314121314)
        // Overlapping copies read every old value first.
        #expect(try Self.result("a[1:4] = a[0:3];\n" + Self.digits("a")) == 1010111213)
        #expect(try Self.result("a[0:3] = a[1:4];\n" + Self.digits("a")) == 1112131414)
        #expect(try Self.result("a[3:4] = {7, 8};\n" + Self.digits("a[2:]")) == 120708)
    }

    @Test func slicesPassToSubroutinesByReference() throws {
        let total = "def total(readonly array[int[32], #dim = 1] x) -> int { int s = 0; for int v in x { s += v; } return s; }\n"
        #expect(try Self.result(total + "int result = total(a[1:3]);") == 36)
        let clear = "def clear(mutable array[int[32], #dim = 1] x) { x[0] = 0; }\n"
        #expect(try Self.result(clear + "clear(a[2:3]);\n" + Self.digits("a")) == 1011001314)
    }

    @Test func runtimeSliceAssignment() throws {
        let source = Self.header + """
        qubit q; bit c;
        array[int[32], 3] r = {1, 2, 3};
        h q; c = measure q;
        if (c) r[1:2] = r[0:1];
        int result = r[0] * 100 + r[1] * 10 + r[2];
        bit[16] out = result;
        """
        // c = 1 shifts right (old values: 1, 1, 2); c = 0 keeps 1, 2, 3.
        let key123 = String(String(123, radix: 2).reversed()).padding(toLength: 16, withPad: "0", startingAt: 0).reversed()
        let key112 = String(String(112, radix: 2).reversed()).padding(toLength: 16, withPad: "0", startingAt: 0).reversed()
        expectDistribution(try distribution(source), [String(key123) + " 0": 0.5, String(key112) + " 1": 0.5])
    }

    static let errors: [(String, Diagnostic.Kind, Int, Int, String)] = [
        ("int x = a[1:2] + 1;", .type, 4, 9, "array"),
        ("array[int[32], 3] b;\na[0:1] = b;", .type, 5, 10, "shape"),
        ("int x = 0;\nfor int v in a[1:7] { x += v; }", .indexOutOfRange, 5, 18, "7"),
        ("int x = 0;\nfor int v in a[3:1] { x += v; }", .type, 5, 14, "no elements"),
        ("a[0:1] += 1;", .type, 4, 1, "'='"),
    ]

    @Test(arguments: errors.indices)
    func sliceErrors(_ index: Int) {
        let (body, kind, line, column, mention) = Self.errors[index]
        guard let d = failure(Self.header + Self.five + body) else { return }
        #expect(d.kind == kind && d.line == line && d.column == column, "\(d)")
        #expect(d.message.contains(mention), "\(d)")
    }
}
