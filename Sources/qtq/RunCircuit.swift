import ArgumentParser
import Foundation
import QASM
import Simulator
import TaskQueue
import TaskWorker

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate an OpenQASM file locally and print its counts as JSON (no database needed)."
    )

    @Argument(help: "OpenQASM 3 or 2 file ('-' for standard input).")
    var file: String

    @Option(help: "Number of shots (1...100000).")
    var shots: Int = 1024

    @Option(help: "Random seed for reproducible counts.")
    var seed: UInt64?

    @Option(help: "Amplitude precision: single (complex64, half the memory) or double (complex128).")
    var precision: TaskPrecision = .double

    func run() throws {
        guard TaskLimits.shots.contains(shots) else {
            throw ValidationError("--shots must be between \(TaskLimits.shots.lowerBound) and \(TaskLimits.shots.upperBound).")
        }
        let source = try readSource(file)
        let outcome = CircuitExecutor.run(
            source, shots: shots, seed: seed, precision: precision, compileOptions: CompileOptions(), simulator: Simulator()
        )
        switch outcome {
        case .completed(let result):
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        case .failed(let failure):
            FileHandle.standardError.write(Data("\(file): \(failure.message)\n".utf8))
            throw ExitCode(1)
        case .interrupted, .cancelled:
            throw ExitCode(1)
        }
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check an OpenQASM file: print every diagnostic with its line and column; exit 1 when invalid."
    )

    @Argument(help: "OpenQASM 3 or 2 file ('-' for standard input).")
    var file: String

    func run() throws {
        let source = try readSource(file)
        do {
            let circuit = try QASMCompiler.compile(source)
            print("\(file): OK (\(circuit.qubitCount) qubits, \(circuit.bitCount) classical bits, \(circuit.instructions.count) instructions)")
        } catch {
            for diagnostic in error.diagnostics {
                print("\(file):\(diagnostic)")
            }
            throw ExitCode(1)
        }
    }
}

extension TaskPrecision: ExpressibleByArgument {}

func readSource(_ path: String) throws -> String {
    if path == "-" {
        return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
    }
    guard let data = FileManager.default.contents(atPath: path) else {
        throw ValidationError("Cannot read \(path): no such file, or not readable.")
    }
    return String(decoding: data, as: UTF8.self)
}
