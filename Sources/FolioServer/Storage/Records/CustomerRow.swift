import GRDB

/// A customer of the store (`/api2/customers`), one per email address as
/// `SearchText.emailKey` compares them. Customers come from orders: the first
/// order with an address makes its customer, and the customer is as that
/// order says (the address as typed, the name, the time) — an earlier order
/// written later moves all three back to it. Ids are given in the order
/// customers are first seen, so that the same seed gives the same ids.
struct CustomerRow: SnakeCaseRecord, Sendable {
    static let databaseTableName = "customers"
    var id: Int64?
    var email: String
    var emailKey: String
    var firstname: String
    var lastname: String
    var createdAt: String

    enum Columns {
        static let id = Column("id")
        static let emailKey = Column("email_key")
        static let createdAt = Column("created_at")
    }

    /// The customer `email` names, compared as the invoice filter compares it.
    static func withEmail(_ email: String) -> QueryInterfaceRequest<CustomerRow> {
        filter { $0.emailKey == SearchText.emailKey(email) }
    }

    /// Records the customer of an order (or of an invoice whose order made
    /// none), and returns the customer's id.
    @discardableResult
    static func record(email: String, name: String, at time: String, _ db: Database) throws -> Int64 {
        let (first, last) = split(name)
        // SQL: an upsert whose update applies only to an earlier order; the query interface has no WHERE on it.
        try db.execute(
            sql: """
                INSERT INTO customers (email, email_key, firstname, lastname, created_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (email_key) DO UPDATE SET
                    email = excluded.email, firstname = excluded.firstname, lastname = excluded.lastname,
                    created_at = excluded.created_at
                WHERE excluded.created_at < customers.created_at
                """, arguments: [email, SearchText.emailKey(email), first, last, time])
        return try CustomerRow.withEmail(email).select(\.id, as: Int64.self).fetchOne(db)!
    }

    /// A name as first and last: the first word, and the rest (`José de la
    /// Cruz` → `José` / `de la Cruz`); one word is a first name alone.
    static func split(_ name: String) -> (first: String, last: String) {
        let words = name.split(whereSeparator: { $0.isWhitespace })
        guard let first = words.first else { return ("", "") }
        return (String(first), words.dropFirst().joined(separator: " "))
    }
}
