import GRDB

/// The one row of `invoice_numbers`: the last invoice number issued.
struct InvoiceNumberRow: SnakeCaseRecord, Sendable {
    static let databaseTableName = "invoice_numbers"
    /// Always 1 (a CHECK of the schema).
    var id: Int64 = 1
    var lastIssued: Int64
}
