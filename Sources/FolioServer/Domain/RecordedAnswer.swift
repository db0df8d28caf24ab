import Foundation

/// The answer a key keeps: status and body bytes, replayed exactly.
struct RecordedAnswer: Sendable, Equatable {
    let status: Int
    let body: Data
}
