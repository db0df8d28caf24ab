import GRDB

/// Invoice numbers (`increment_id`) come from a counter row, incremented in
/// the create's own transaction. Taking `MAX(increment_id)` instead compares
/// text: "999999999" sorts after "1000000000", so the tenth digit repeats a
/// number, and a non-numeric number (an import's "INV-7") stops the sequence.
enum InvoiceNumbers {
    /// The counter of an empty store: the first invoice is 100000001.
    static let start: Int64 = 100_000_000

    /// The next free number, recorded as issued. A number already taken (an
    /// invoice written by other means) is skipped, never reused.
    static func next(_ db: Database) throws -> String {
        var number = try InvoiceNumberRow.fetchOne(db, key: 1)?.lastIssued ?? start
        repeat {
            let (following, overflow) = number.addingReportingOverflow(1)
            guard !overflow else { throw APIError(.internalServerError, "Invoice numbers are exhausted") }
            number = following
        } while try !InvoiceRow.named(.incrementId(String(number))).isEmpty(db)
        try InvoiceNumberRow(lastIssued: number).upsert(db)
        return String(number)
    }

    /// Moves the counter past every all-digit number already stored (up to 18
    /// digits, which fit in 64 bits): after a seed or an import.
    /// SQL, because the query interface has no `INSERT … SELECT`, no `GLOB`
    /// and no `CAST`: one statement does it whatever the table holds.
    static func catchUp(_ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO invoice_numbers (id, last_issued)
                    SELECT 1, MAX(?, COALESCE(MAX(CAST(increment_id AS INTEGER)), 0)) FROM invoices
                    WHERE increment_id NOT GLOB '*[^0-9]*' AND length(increment_id) BETWEEN 1 AND 18
                ON CONFLICT (id) DO UPDATE SET last_issued = MAX(last_issued, excluded.last_issued)
                """, arguments: [start])
    }
}
