import FolioServer
import Foundation
import GRDB

/// What the store really did, read from its own tables rather than asked of
/// Folio: which invoices carry which operation reference, and their lines.
/// The chaos tests judge every outcome Folio claimed against this.
public struct StoreTruth: Sendable {
    /// Reference (`7K3M-9QX2-H4TD-ZP1R`) → the invoices whose comments carry its marker.
    public let invoicesByReference: [String: Set<Int64>]
    /// Invoice → its lines: order item id → quantity in ten-thousandths.
    public let lines: [Int64: [Int64: Int64]]
    public let invoiceCount: Int

    public static func read(_ server: RunningServer) async throws -> StoreTruth {
        try await server.database.read { db in
            var byReference: [String: Set<Int64>] = [:]
            let marked = try Row.fetchAll(db, sql: "SELECT invoice_id, comment FROM invoice_comments WHERE comment LIKE '%[folio-op %'")
            for row in marked {
                let id: Int64 = row["invoice_id"]
                let comment: String = row["comment"]
                for reference in references(in: comment) { byReference[reference, default: []].insert(id) }
            }
            var lines: [Int64: [Int64: Int64]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT invoice_id, order_item_id, qty FROM invoice_items") {
                lines[row["invoice_id"], default: [:]][row["order_item_id"]] = row["qty"]
            }
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM invoices") ?? 0
            return StoreTruth(invoicesByReference: byReference, lines: lines, invoiceCount: count)
        }
    }

    public func invoices(carrying reference: String) -> Set<Int64> { invoicesByReference[reference] ?? [] }

    /// Every `[folio-op …]` marker's reference in `text`.
    static func references(in text: String) -> [String] {
        var found: [String] = []
        var rest = text[...]
        while let start = rest.range(of: "[folio-op ") {
            let tail = rest[start.upperBound...]
            guard let end = tail.firstIndex(of: "]") else { break }
            found.append(String(tail[..<end]))
            rest = tail[end...]
        }
        return found
    }
}
