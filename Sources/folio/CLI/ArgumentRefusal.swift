import Synchronization

/// The one-line refusal of the last word a `ClosedSetArgument` did not take
/// while the command line was parsed. The command line is parsed once, and a
/// refused word ends the parse, so the entry point takes it at most once.
enum ArgumentRefusal {
    private static let last = Mutex<String?>(nil)

    static func record(_ line: String) {
        last.withLock { $0 = line }
    }

    /// The refusal, if parsing stopped at one; it is cleared.
    static func take() -> String? {
        last.withLock { line in
            defer { line = nil }
            return line
        }
    }
}
