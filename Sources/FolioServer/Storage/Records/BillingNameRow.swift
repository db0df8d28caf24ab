import GRDB

/// One distinct billing name of the store's invoices, as its search key
/// (`SearchText.nameKey`). `billing_name` searches scan this small table for
/// the keys that contain the query, then read the invoices of those names by
/// index (see `InvoiceListQuery`); `billing_name_counts` holds how many
/// invoices each name has per state, kept by triggers.
struct BillingNameRow: AutoIncrementedRecord, Sendable {
    static let databaseTableName = "billing_names"
    var id: Int64?
    var key: String

    enum Columns {
        static let id = Column("id")
        static let key = Column("key")
    }

    /// The id of the billing name `name`, recorded if it is new.
    static func id(of name: String, _ db: Database) throws -> Int64 {
        let key = SearchText.nameKey(name)
        if let id = try BillingNameRow.filter({ $0.key == key }).select(\.id, as: Int64.self).fetchOne(db) { return id }
        var row = BillingNameRow(id: nil, key: key)
        try row.insert(db)
        return row.id!
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
