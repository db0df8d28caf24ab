import GRDB

/// The family's listing rules, shared by every resource: paging, sorting with
/// a total order, and strict date ranges on `created_at`.
struct Listing: Sendable {
    var page = 1
    var limit = 20
    var includePagination = false
    /// The resource's key: the default sort, and the last term of every
    /// order, so that the order is total and pages never repeat or skip a row.
    let tieBreak: Column
    var sortColumn: Column
    var descending = true
    /// The created range as given, for callers that count by day.
    var createdFrom: Timestamp.Bound?
    var createdTo: Timestamp.Bound?

    static let defaultLimit = 20
    static let maximumLimit = 200
    /// The highest page asked for. Bounded so that `offset + limit`, and the
    /// plan's products with table sizes, stay far inside 64 bits; a store of
    /// any real size ends long before it.
    static let maximumPage = Int(Int32.max)

    /// Paging, `include_pagination`, `sort`/`direction` over `sortable` (API
    /// field → column), and the `created_from`/`created_to` range.
    init(_ input: RequestInput, sortable: [String: Column], tieBreak: Column) throws {
        self.tieBreak = tieBreak
        sortColumn = tieBreak
        if let raw = try input.text("page") {
            guard let page = Int(raw), (1...Self.maximumPage).contains(page) else {
                throw APIError.invalidParameter("page", "expected a whole number from 1 to \(Self.maximumPage)")
            }
            self.page = page
        }
        // A missing or invalid limit means 20; above 200 means 200 (family rule).
        let rawLimit = try ["limit", "page_size", "per_page", "pageSize"].lazy.compactMap { try input.text($0) }.first
        if let rawLimit, let value = Int(rawLimit), value >= 1 {
            limit = min(value, Self.maximumLimit)
        }
        includePagination = try input.flag("include_pagination")

        if let sort = try input.text("sort") {
            guard let column = sortable[sort] else {
                throw APIError.invalidParameter("sort", "sort by one of " + sortable.keys.sorted().joined(separator: ", "))
            }
            sortColumn = column
        }
        if let direction = try input.text("direction") {
            switch direction.lowercased() {
            case "asc": descending = false
            case "desc": descending = true
            default: throw APIError.invalidParameter("direction", "expected asc or desc")
            }
        }
        func bound(_ name: String) throws -> Timestamp.Bound? {
            guard let raw = try input.text(name) else { return nil }
            guard let bound = Timestamp.parseBound(raw) else {
                throw APIError.invalidParameter(name, "expected YYYY-MM-DD or YYYY-MM-DD HH:MM:SS")
            }
            return bound
        }
        let from = try bound("created_from")
        let to = try bound("created_to")
        // A date-only end stands for its whole day, in this check as in the filter.
        if let from, let to, from.unixSeconds > to.lastSecond { throw APIError.invalidDateRange }
        createdFrom = from
        createdTo = to
    }

    var sortsByTieBreak: Bool { sortColumn.name == tieBreak.name }

    /// The created range's upper bound on `created_at`: a date-only
    /// `created_to` includes that whole day, so it is "before the next day".
    var createdUpperBound: (value: String, inclusive: Bool)? {
        guard let to = createdTo else { return nil }
        return to.isDateOnly ? (Timestamp.string(unixSeconds: to.unixSeconds + 86_400), false) : (to.text, true)
    }

    /// `request` within the created range on `createdAt`.
    func filtered<Record>(_ request: QueryInterfaceRequest<Record>, createdAt: Column) -> QueryInterfaceRequest<Record> {
        var request = request
        if let from = createdFrom { request = request.filter(createdAt >= from.text) }
        if let upper = createdUpperBound {
            request = request.filter(upper.inclusive ? createdAt <= upper.value : createdAt < upper.value)
        }
        return request
    }

    /// One page of `request` in the listing's total order.
    func paged<Record>(_ request: QueryInterfaceRequest<Record>) -> QueryInterfaceRequest<Record> {
        let terms: [any SQLOrderingTerm] =
            sortsByTieBreak
            ? [descending ? tieBreak.desc : tieBreak.asc]
            : [descending ? sortColumn.desc : sortColumn.asc, descending ? tieBreak.desc : tieBreak.asc]
        return request.order(terms).limit(limit, offset: offset)
    }

    /// At most `maximumPage × maximumLimit`: no overflow (see `maximumPage`).
    var offset: Int { (page - 1) * limit }

    /// The answer to a listing: `{key: items}`, and the pagination fields
    /// when the total was counted (`include_pagination=1`).
    func body(_ key: String, _ items: [JSON], total: Int?) -> JSON {
        var fields: [(String, JSON)] = [(key, .array(items))]
        if let total { fields += paginationFields(total: total) }
        return .object(fields)
    }

    /// `page`, `limit`, `total`, `last_page`, `has_next` for `include_pagination=1`.
    func paginationFields(total: Int) -> [(String, JSON)] {
        let lastPage = max(1, (total + limit - 1) / limit)
        return [
            ("page", .int(page)), ("limit", .int(limit)), ("total", .int(total)),
            ("last_page", .int(lastPage)), ("has_next", .bool(page < lastPage)),
        ]
    }
}
