import GRDB

/// One request's key, scoped to its caller, with the fingerprint of what it asks.
struct IdempotencyClaim: Sendable {
    let principal: String
    let key: String
    let fingerprint: String
    /// Random, per request: its own in-flight row is the one with this owner.
    let owner: String
    let store: IdempotencyStore

    /// The one line a write route adds: call it first inside the write
    /// transaction that does the request's work. It refuses (throws
    /// `IdempotencyRefusal`, rolling the transaction back) if the key is
    /// already on record, and otherwise records the key as in flight, so that
    /// the key is committed with the work or not at all. GRDB runs one write
    /// transaction at a time, so of concurrent requests with one key exactly
    /// one gets past this line.
    func claim(_ db: Database) throws {
        try store.claim(self, db)
    }
}

extension DatabaseWriter {
    /// A write transaction that first claims the request's idempotency key,
    /// if it has one, and whose storage failures become the family's statuses.
    /// Every write route's work goes through here.
    func write<T: Sendable>(claiming claim: IdempotencyClaim?, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await write { db in
                try claim?.claim(db)
                return try body(db)
            }
        } catch let error as DatabaseError {
            throw APIError.from(database: error)
        }
    }
}
