import Foundation
import GRDB

/// Rows of the reference server's tables. Columns are snake_case; properties
/// camelCase; GRDB converts between them. Each row type names the columns its
/// queries use in its `Columns`, so that the query interface reads
/// `InvoiceRow.filter { $0.incrementId == number }`.
protocol SnakeCaseColumns: Codable, FetchableRecord, MutablePersistableRecord {}
/// A row whose key is known before it is inserted.
protocol SnakeCaseRecord: SnakeCaseColumns, PersistableRecord {}
/// A row whose key the database assigns on insert (`didInsert` records it).
protocol AutoIncrementedRecord: SnakeCaseColumns {}

extension SnakeCaseColumns {
    static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy {
        .custom { column in ColumnKey(stringValue: ColumnName.camelCase(column)) }
    }
    static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy {
        .custom { key in ColumnName.snakeCase(key.stringValue) }
    }
}

/// `orderItemId` ↔ `order_item_id`. Our property names are plain ASCII words,
/// so a character walk is all the conversion needs.
private enum ColumnName {
    static func snakeCase(_ name: String) -> String {
        var out = ""
        out.reserveCapacity(name.count + 4)
        for c in name {
            if c.isUppercase {
                out.append("_")
                out.append(contentsOf: c.lowercased())
            } else {
                out.append(c)
            }
        }
        return out
    }

    static func camelCase(_ column: String) -> String {
        var out = ""
        var upper = false
        for c in column {
            if c == "_" {
                upper = true
                continue
            }
            out.append(contentsOf: upper ? c.uppercased() : String(c))
            upper = false
        }
        return out
    }
}

private struct ColumnKey: CodingKey {
    let stringValue: String
    init(stringValue: String) { self.stringValue = stringValue }
    var intValue: Int? { nil }
    init?(intValue: Int) { nil }
}
