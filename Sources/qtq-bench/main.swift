// qtq-bench: times the simulator on one OpenQASM file and prints one JSON object (read by scripts/bench).
//
//   qtq-bench FILE.qasm --shots N --repeat R [--threads T] [--seed S] [--warmup]
//   qtq-bench overhead FILE.qasm --shots N --iterations K [--threads T] [--seed S]
//     (whole tasks: compile + simulate + sample + the result document's JSON, per task)
import Foundation

do {
    let command = try BenchCommand(arguments: Array(CommandLine.arguments.dropFirst()))
    print(try command.run())
} catch {
    FileHandle.standardError.write(Data("qtq-bench: \(error)\n".utf8))
    if case .usage = error { FileHandle.standardError.write(Data(BenchCommand.usage.utf8)) }
    exit(error.exitCode)
}
