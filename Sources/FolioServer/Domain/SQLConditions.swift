import GRDB

/// The conditions of a WHERE clause written as SQL, with their arguments, for
/// the one query built as SQL text: the invoice listing (`InvoiceListQuery`),
/// whose plans name indexes, which GRDB's query interface cannot do.
struct SQLConditions: Sendable {
    private(set) var conditions: [String] = []
    private(set) var arguments = StatementArguments()

    mutating func add(_ condition: String, _ values: [any DatabaseValueConvertible]) {
        conditions.append(condition)
        arguments += StatementArguments(values)
    }

    /// `column IN (?, ?, …)`.
    mutating func addIn(_ column: String, _ values: [any DatabaseValueConvertible]) {
        add("\(column) IN (\(Array(repeating: "?", count: values.count).joined(separator: ", ")))", values)
    }

    var whereClause: String { conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ") }
}
