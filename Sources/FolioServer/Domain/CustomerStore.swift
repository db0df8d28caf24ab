import GRDB

/// Customers in storage: what the customer routes read. Customers are
/// written with the orders that make them (`OrderRow.willInsert`).
struct CustomerStore: Sendable {
    let database: any DatabaseWriter

    /// The customer with this id, or with this address (compared as `SearchText.emailKey` says).
    enum Key: Sendable {
        case id(Int64)
        case email(key: String)
    }

    func customer(_ key: Key) async throws -> CustomerRow? {
        try await database.read { db in
            switch key {
            case .id(let id): try CustomerRow.fetchOne(db, key: id)
            case .email(let emailKey): try CustomerRow.filter { $0.emailKey == emailKey }.fetchOne(db)
            }
        }
    }

    /// One page of the listing, and its total when pagination was asked for.
    func page(_ query: CustomerListQuery) async throws -> (rows: [CustomerRow], total: Int?) {
        try await database.read { db in try query.run(db) }
    }
}
