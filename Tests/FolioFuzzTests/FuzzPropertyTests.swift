import FolioFuzzTargets
import FolioTestSupport
import Foundation
import Testing

/// The fuzzer's properties in every `swift test`: the committed corpus
/// (`Fuzz/corpus`, which holds every input the fuzzer ever broke a property
/// with) and 20,000 inputs from a fixed seed. The long runs are `scripts/fuzz.sh`.
@Suite struct FuzzPropertyTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz/corpus")

    @Test func everyCorpusInputKeepsEveryProperty() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).sorted()
        var reached = Set<Int>()
        for name in names {
            let bytes = Array(try Data(contentsOf: Self.corpus.appendingPathComponent(name)))
            #expect(throws: Never.self, "\(name)") { try fuzzCheck(bytes) }
            if let first = bytes.first { reached.insert(Int(first) % FuzzTarget.allCases.count) }
        }
        // The corpus starts every target, so that a fuzz run does too.
        #expect(
            reached.count == FuzzTarget.allCases.count,
            "targets without a corpus input: \(FuzzTarget.allCases.filter { !reached.contains($0.rawValue) })")
    }

    @Test func twentyThousandInputsFromAFixedSeed() {
        var random = SplitMix64(seed: 0x466F_6C69_6F46_757A)
        var broken: [String] = []
        for n in 0..<20_000 where broken.count < 5 {
            // The first byte walks through every target, structured (< 128) and raw.
            let bytes =
                [UInt8(truncatingIfNeeded: n)] + (0..<Int(random.next() % 400)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            do { try fuzzCheck(bytes) } catch {
                broken.append("\(error) — input \(bytes.map { String($0, radix: 16) }.joined(separator: " "))")
            }
        }
        #expect(broken.isEmpty, "\(broken.joined(separator: "\n"))")
    }
}
