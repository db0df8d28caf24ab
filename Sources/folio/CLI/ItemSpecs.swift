import FolioCore
import Foundation

/// `--item SKU=QTY` or `--item id=ITEM_ID=QTY`, the same for creating an
/// invoice and refunding one: quantities by order item id.
enum ItemSpecs {
    /// `item(id, sku)` finds the order item id of what a spec names (one of the two is given), or nil;
    /// `place` names where it was looked for ("order 100000123").
    static func quantities(
        _ specs: [String], in place: String, item: (_ id: Int64?, _ sku: String?) -> Int64?
    ) throws(FolioError) -> [Int64: Decimal] {
        var result: [Int64: Decimal] = [:]
        for spec in specs {
            let parts = spec.split(separator: "=", omittingEmptySubsequences: false).map(String.init)
            let found: Int64?
            let qtyText: String
            if parts.count == 3, parts[0] == "id" {
                found = Int64(parts[1]).flatMap { item($0, nil) }
                qtyText = parts[2]
            } else if parts.count == 2 {
                found = item(nil, parts[0])
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
