import GRDB

/// The family's listing rules, shared by every resource: paging, sorting with
/// a total order, strict date ranges, and the conditions of a filter.
struct Listing {
    var conditions: [String] = []
    var arguments = StatementArguments()
    var page = 1
    var limit = 20
    var includePagination = false
    var sortColumn = "entity_id"
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
    /// field → SQL column), and the `created_from`/`created_to` range.
    init(_ input: RequestInput, sortable: [String: String]) throws {
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
        try addCreatedRange(input)
    }

    private mutating func addCreatedRange(_ input: RequestInput) throws {
        func bound(_ name: String) throws -> Timestamp.Bound? {
            guard let raw = try input.text(name) else { return nil }
            guard let bound = Timestamp.parseBound(raw) else {
                throw APIError.invalidParameter(name, "expected YYYY-MM-DD or YYYY-MM-DD HH:MM:SS")
            }
            return bound
        }
        let from = try bound("created_from"), to = try bound("created_to")
        // A date-only end stands for its whole day, in this check as in the filter.
        if let from, let to, from.unixSeconds > to.lastSecond { throw APIError.invalidDateRange }
        createdFrom = from
        createdTo = to
        if let from { add("created_at >= ?", [from.text]) }
        if let to {
            // A date-only upper bound includes that whole day.
            if to.isDateOnly {
                add("created_at < ?", [Timestamp.string(unixSeconds: to.unixSeconds + 86_400)])
            } else {
                add("created_at <= ?", [to.text])
            }
        }
    }

    mutating func add(_ condition: String, _ values: [any DatabaseValueConvertible]) {
        conditions.append(condition)
        arguments += StatementArguments(values)
    }

    /// `column IN (?, ?, …)`.
    mutating func addIn(_ column: String, _ values: [any DatabaseValueConvertible]) {
        add("\(column) IN (\(Array(repeating: "?", count: values.count).joined(separator: ", ")))", values)
    }

    var whereClause: String { conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ") }

    /// Always ends with `entity_id`, so that the order is total and pages never
    /// repeat or skip a row.
    var orderClause: String {
        let dir = descending ? "DESC" : "ASC"
        return sortColumn == "entity_id" ? " ORDER BY entity_id \(dir)" : " ORDER BY \(sortColumn) \(dir), entity_id \(dir)"
    }

    /// At most `maximumPage × maximumLimit`: no overflow (see `maximumPage`).
    var offset: Int { (page - 1) * limit }

    /// `indexing` is an `INDEXED BY name` or `NOT INDEXED` clause, or empty to let SQLite choose.
    func pageSQL(table: String, indexing: String = "") -> String {
        "SELECT * FROM \(table)\(indexing)\(whereClause)\(orderClause) LIMIT \(limit) OFFSET \(offset)"
    }

    /// `page`, `limit`, `total`, `last_page`, `has_next` for `include_pagination=1`.
    func paginationFields(total: Int) -> [(String, JSON)] {
        let lastPage = max(1, (total + limit - 1) / limit)
        return [("page", .int(page)), ("limit", .int(limit)), ("total", .int(total)),
                ("last_page", .int(lastPage)), ("has_next", .bool(page < lastPage))]
    }
}
