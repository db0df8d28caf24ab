import GRDB

/// How a request names one order or invoice: its entity id, or its number
/// (`increment_id`), as the family's look-ups take either.
enum LookupKey: Sendable, Equatable {
    case id(Int64)
    case incrementId(String)

    /// The condition that picks the record out of its table, given the
    /// table's id and number columns.
    func condition(id: Column, number: Column) -> SQLExpression {
        switch self {
        case .id(let value): id == value
        case .incrementId(let value): number == value
        }
    }
}
