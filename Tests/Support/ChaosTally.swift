import Foundation
import Synchronization

/// Counts what became of each create under each fault, for the chaos tests'
/// assertions and for RELIABILITY.md (`FOLIO_CHAOS_REPORT=FILE` appends the table).
public final class ChaosTally: Sendable {
    public enum Outcome: String, Sendable, CaseIterable {
        /// The answer arrived: done.
        case done
        /// The answer was lost; the reference was found at once: done.
        case found = "found by reference"
        /// The store (or the network before anything left) said no.
        case refused
        /// Unknown when it ended; found done later by `resolve`.
        case unknownThenFound = "unknown → found"
        /// Unknown when it ended; the store truly has no invoice with it (verified), so it stays open until settled.
        case unknownAbsent = "unknown → truly absent"
        /// Not sent: Folio held it back (an earlier write on the order still unknown or
        /// found done, or the order's fresh quantities already refuse it).
        case heldBack = "held back, nothing sent"
    }

    private let counts = Mutex<[String: [Outcome: Int]]>([:])
    public init() {}

    public func add(_ fault: String, _ outcome: Outcome) {
        counts.withLock { $0[fault, default: [:]][outcome, default: 0] += 1 }
    }

    public func count(_ fault: String, _ outcome: Outcome) -> Int { counts.withLock { $0[fault]?[outcome] ?? 0 } }
    public var total: Int { counts.withLock { $0.values.reduce(0) { $0 + $1.values.reduce(0, +) } } }
    public var faults: [String] { counts.withLock { $0.keys.sorted() } }

    /// A Markdown table: one row per fault, one column per outcome.
    public func table(title: String) -> String {
        var text = "\n### \(title)\n\n| fault | " + Outcome.allCases.map(\.rawValue).joined(separator: " | ") + " | attempts |\n"
        text += "|---" + String(repeating: "|---:", count: Outcome.allCases.count + 1) + "|\n"
        for fault in faults {
            let row = Outcome.allCases.map { count(fault, $0) }
            text += "| \(fault) | " + row.map(String.init).joined(separator: " | ") + " | \(row.reduce(0, +)) |\n"
        }
        return text
    }

    /// Appends the table to `FOLIO_CHAOS_REPORT`, when set.
    public func report(title: String) {
        guard let path = ProcessInfo.processInfo.environment["FOLIO_CHAOS_REPORT"], !path.isEmpty else { return }
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: path) else { return }
        handle.seekToEndOfFile()
        handle.write(Data(table(title: title).utf8))
        handle.closeFile()
    }
}

extension FaultProxy.Fault {
    /// Every fault the chaos tests put between a clerk and the store, in turn. The
    /// clerks give up after 1 s; a freeze or a hold lasts twice that.
    public static let chaos: [FaultProxy.Fault] = [
        .pass, .dropAfterForward, .freeze(seconds: 2), .holdThenForward(seconds: 2),
        .gatewayError(status: 502), .gatewayError(status: 504),
        .redirect(location: "http://127.0.0.1:9/api2/invoice/create"), .refuseConnection,
    ]
}
