import Foundation

/// One entry of an order's history (`GET /api2/history`): a comment, a
/// status change, or one of the store's own events (an invoice created, an
/// invoice email sent or failed).
public struct OrderHistoryEntry: Sendable, Equatable, Decodable {
    public let id: Int64?
    public let comment: String?
    public let status: String?
    /// The customer was told (an email went out, or the entry says it did).
    public let isCustomerNotified: Bool
    /// The customer can see it in their account; otherwise it is internal.
    public let isVisibleOnFront: Bool
    public let createdAt: String?
    /// Who or what made it: `system`, `invoice`, `email`, `creditmemo`,
    /// `integration`, or whatever else a store says (kept as sent).
    public let source: String?

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        id = try c.integer("id", "entity_id")
        comment = try c.text("comment")
        status = try c.text("status")
        isCustomerNotified = try c.flag("is_customer_notified", "isCustomerNotified") ?? false
        isVisibleOnFront = try c.flag("is_visible_on_front", "isVisibleOnFront") ?? false
        createdAt = try c.text("created_at", "createdAt")
        source = try c.text("source")
    }

    public init(
        id: Int64?, comment: String?, status: String?, isCustomerNotified: Bool, isVisibleOnFront: Bool,
        createdAt: String?, source: String?
    ) {
        self.id = id
        self.comment = comment
        self.status = status
        self.isCustomerNotified = isCustomerNotified
        self.isVisibleOnFront = isVisibleOnFront
        self.createdAt = createdAt
        self.source = source
    }
}

extension APIClient {
    /// An order's history, newest first, by its number.
    public func history(orderNumber: String) async throws(FolioError) -> [OrderHistoryEntry] {
        let trimmed = orderNumber.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw .invalidInput("the order number is empty") }
        return try await history(query: [("order_increment_id", trimmed)], what: "order \(trimmed)")
    }

    /// An order's history, newest first, by its entity id.
    public func history(orderId: Int64) async throws(FolioError) -> [OrderHistoryEntry] {
        try await history(query: [("order_id", String(orderId))], what: "order \(orderId)")
    }

    private func history(query: [(String, String)], what: String) async throws(FolioError) -> [OrderHistoryEntry] {
        let reply = try await get("/api2/history", query: query)
        try check(reply, what: what)
        return try Self.historyAnswer(reply.body)
    }

    /// `{"history": [ … ]}`.
    static func historyAnswer(_ body: Data) throws(FolioError) -> [OrderHistoryEntry] {
        try decode(HistoryEnvelope.self, body).history
    }
}

private struct HistoryEnvelope: Decodable { let history: [OrderHistoryEntry] }
