import GRDB

/// Credit memo numbers (`increment_id`) come from their own counter row,
/// incremented in the credit memo's own transaction, as invoice numbers do
/// (see `InvoiceNumbers`): a refused or rolled-back request takes no number.
enum CreditMemoNumbers {
    /// The counter of an empty store: the first credit memo is 100000001.
    static let start: Int64 = 100_000_000

    /// The next free number, recorded as issued. A number already taken (a
    /// credit memo written by other means) is skipped, never reused.
    static func next(_ db: Database) throws -> String {
        var number = try CreditMemoNumberRow.fetchOne(db, key: 1)?.lastIssued ?? start
        repeat {
            let (following, overflow) = number.addingReportingOverflow(1)
            guard !overflow else { throw APIError(.internalServerError, "Credit memo numbers are exhausted") }
            number = following
        } while try !CreditMemoRow.named(.incrementId(String(number))).isEmpty(db)
        try CreditMemoNumberRow(lastIssued: number).upsert(db)
        return String(number)
    }
}
