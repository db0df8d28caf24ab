import GRDB

/// Document numbers (`increment_id`) come from a one-row counter table,
/// incremented in the document's own transaction, so a refused or
/// rolled-back request takes no number. Taking `MAX(increment_id)` instead
/// compares text: "999999999" sorts after "1000000000", so the tenth digit
/// repeats a number, and a non-numeric number (an import's "INV-7") stops
/// the sequence. Invoices and credit memos each have their own counter.
struct DocumentNumbers: Sendable {
    /// The counter of an empty store: the first document is 100000001.
    static let start: Int64 = 100_000_000

    /// The counter's table (`id` always 1, `last_issued`): a constant of the code, never input.
    let counter: String
    /// "Invoice", "Credit memo": what runs out, in the error.
    let noun: String
    /// Whether a number is already taken (a document written by other means).
    let taken: @Sendable (Database, String) throws -> Bool

    static let invoices = DocumentNumbers(counter: "invoice_numbers", noun: "Invoice") { db, number in
        try !InvoiceRow.named(.incrementId(number)).isEmpty(db)
    }
    static let creditMemos = DocumentNumbers(counter: "creditmemo_numbers", noun: "Credit memo") { db, number in
        try !CreditMemoRow.named(.incrementId(number)).isEmpty(db)
    }

    /// The next free number, recorded as issued. A number already taken is skipped, never reused.
    func next(_ db: Database) throws -> String {
        var number = try Int64.fetchOne(db, sql: "SELECT last_issued FROM \(counter) WHERE id = 1") ?? Self.start
        repeat {
            let (following, overflow) = number.addingReportingOverflow(1)
            guard !overflow else { throw APIError(.internalServerError, "\(noun) numbers are exhausted") }
            number = following
        } while try taken(db, String(number))
        try db.execute(
            sql: "INSERT INTO \(counter) (id, last_issued) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET last_issued = excluded.last_issued",
            arguments: [number])
        return String(number)
    }

    /// Moves the invoice counter past every all-digit number already stored
    /// (up to 18 digits, which fit in 64 bits): after a seed or an import.
    /// SQL, because the query interface has no `INSERT … SELECT`, no `GLOB`
    /// and no `CAST`: one statement does it whatever the table holds.
    static func catchUpInvoices(_ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO invoice_numbers (id, last_issued)
                    SELECT 1, MAX(?, COALESCE(MAX(CAST(increment_id AS INTEGER)), 0)) FROM invoices
                    WHERE increment_id NOT GLOB '*[^0-9]*' AND length(increment_id) BETWEEN 1 AND 18
                ON CONFLICT (id) DO UPDATE SET last_issued = MAX(last_issued, excluded.last_issued)
                """, arguments: [start])
    }
}
