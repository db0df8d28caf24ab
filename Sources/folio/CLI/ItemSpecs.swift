import FolioCore
import Foundation

/// `--item SKU=QTY` or `--item id=ITEM_ID=QTY`, the same for creating an
/// invoice and refunding one: quantities by order item id.
enum ItemSpecs {
    /// `items` are the order item ids and SKUs of `place` ("order 100000123"). A SKU sold on two
    /// lines names neither: it is refused, and the spec must name one by `id=`.
    static func quantities(
        _ specs: [String], in place: String, items: [(id: Int64, sku: String)]
    ) throws(FolioError) -> [Int64: Decimal] {
        var result: [Int64: Decimal] = [:]
        for spec in specs {
            let parts = spec.split(separator: "=", omittingEmptySubsequences: false).map(String.init)
            let found: Int64?
            let qtyText: String
            if parts.count == 3, parts[0] == "id" {
                found = Int64(parts[1]).flatMap { id in items.first { $0.id == id }?.id }
                qtyText = parts[2]
            } else if parts.count == 2 {
                let named = items.filter { $0.sku == parts[0] }
                guard named.count < 2 else {
                    throw .invalidInput(
                        "\(spec): \(parts[0]) is sold on \(named.count) lines of \(place) — name one: "
                            + named.map { "id=\($0.id)=\(parts[1])" }.joined(separator: " or "))
                }
                found = named.first?.id
                qtyText = parts[1]
            } else {
                throw .invalidInput("--item takes SKU=QTY or id=ITEM_ID=QTY, not \(spec)")
            }
            guard let found else { throw .invalidInput("\(spec): no such item on \(place)") }
            guard let qty = Decimal(exactly: qtyText) else { throw .invalidInput("\(spec): \(qtyText) is not a quantity") }
            guard result[found] == nil else { throw .invalidInput("\(spec): item named twice") }
            result[found] = qty
        }
        return result
    }
}
