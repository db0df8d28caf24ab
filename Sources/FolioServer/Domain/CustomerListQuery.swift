import GRDB

/// A page of `GET /api2/customers`: the family's listing rules (paging,
/// `sort` over `id` and `created_at`, the created range on the customer's
/// first order), built with GRDB's query interface.
struct CustomerListQuery: Sendable {
    static let sortable: [String: Column] = ["id": CustomerRow.Columns.id, "created_at": CustomerRow.Columns.createdAt]

    var listing: Listing

    init(_ input: RequestInput) throws {
        listing = try Listing(input, sortable: Self.sortable, tieBreak: CustomerRow.Columns.id)
    }

    /// Every matching customer, in no particular order.
    var matches: QueryInterfaceRequest<CustomerRow> {
        listing.filtered(CustomerRow.all(), createdAt: CustomerRow.Columns.createdAt)
    }

    /// One page, and the total when pagination metadata was asked for.
    func run(_ db: Database) throws -> (rows: [CustomerRow], total: Int?) {
        let rows = try listing.paged(matches).fetchAll(db)
        return (rows, listing.includePagination ? try matches.fetchCount(db) : nil)
    }
}
