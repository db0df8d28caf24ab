import GRDB

/// A page of `GET /api2/order`: the family's listing rules plus the order
/// filters, built with GRDB's query interface.
struct OrderListQuery: Sendable {
    static let sortable: [String: Column] = [
        "entity_id": OrderRow.Columns.entityId, "created_at": OrderRow.Columns.createdAt,
        "increment_id": OrderRow.Columns.incrementId, "grand_total": OrderRow.Columns.grandTotalFace,
    ]

    var listing: Listing
    var incrementIds: [String]?
    var statuses: [String]?
    var canInvoice: Bool?

    init(_ input: RequestInput) throws {
        listing = try Listing(input, sortable: Self.sortable, tieBreak: OrderRow.Columns.entityId)
        incrementIds = try input.list("increment_id")
        statuses = try input.list("status")
        canInvoice = input.has("can_invoice") ? try input.flag("can_invoice") : nil
    }

    /// Every matching order, in no particular order.
    var matches: QueryInterfaceRequest<OrderRow> {
        var request = listing.filtered(OrderRow.all(), createdAt: OrderRow.Columns.createdAt)
        if let incrementIds, !incrementIds.isEmpty { request = request.filter { incrementIds.contains($0.incrementId) } }
        if let statuses, !statuses.isEmpty { request = request.filter { statuses.contains($0.status) } }
        if let canInvoice { request = request.filter { $0.canInvoice == canInvoice } }
        return request
    }

    /// One page, and the total when pagination metadata was asked for.
    func run(_ db: Database) throws -> (rows: [OrderRow], total: Int?) {
        let rows = try listing.paged(matches).fetchAll(db)
        return (rows, listing.includePagination ? try matches.fetchCount(db) : nil)
    }
}
