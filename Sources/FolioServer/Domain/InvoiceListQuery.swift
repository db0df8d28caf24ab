import Foundation
import GRDB

/// A page of `GET /api2/invoice`: the family's listing rules plus the invoice
/// filters, and the choice of how SQLite should read it.
///
/// This is the one query of the store layer written as SQL text: its plans
/// name the index to walk (`INDEXED BY`, `NOT INDEXED`), read the per-day
/// count tables, and merge two walks, none of which GRDB's query interface
/// can express. It runs only inside `InvoiceStore`.
///
/// SQLite cannot know how many rows a filter matches, so it may sort a
/// month of a million invoices in a temporary b-tree to return twenty. We can
/// know: invoices per day and state are counted by triggers. With the count,
/// a small result is searched by its filter's index and sorted (cheap), and a
/// large one is read in the sort index's order, stopping after one page.
///
/// The customer filters (a Folio extension) follow the same design: the
/// invoices of a customer, or of the billing names containing a query, are
/// counted exactly (an index range for a customer; per-name counts kept by
/// triggers for names), and then read either by the customer's or names'
/// index and sorted — when they are few — or in sort order, when they are
/// so many that a page of them comes sooner that way.
struct InvoiceListQuery {
    static let sortable: [String: Column] = [
        "entity_id": InvoiceRow.Columns.entityId, "created_at": InvoiceRow.Columns.createdAt,
        "updated_at": InvoiceRow.Columns.updatedAt, "increment_id": InvoiceRow.Columns.incrementId,
        "grand_total": InvoiceRow.Columns.grandTotalFace,
    ]

    var listing: Listing
    /// The filter as SQL: the created range, then the invoice filters.
    var filter = SQLConditions()
    /// The states filtered on, if any.
    var states: [Int]?
    /// An order or invoice-number filter: a handful of rows at most.
    var isNarrow = false
    /// The customer filters, as search keys (`SearchText`).
    var emailKey: String?
    var nameKey: String?
    /// The filter without the billing name's condition, and without that and the created range.
    var filterButName = SQLConditions()
    var filterButRangeAndName = SQLConditions()

    init(_ input: RequestInput) throws {
        listing = try Listing(input, sortable: Self.sortable, tieBreak: InvoiceRow.Columns.entityId)
        if let orderId = try input.integer("order_id") {
            filter.add("order_id = ?", [orderId])
            isNarrow = true
        }
        if let orders = try input.list("order_increment_id"), !orders.isEmpty {
            filter.addIn("order_increment_id", orders)
            isNarrow = true
        }
        if let increments = try input.list("increment_id"), !increments.isEmpty {
            filter.addIn("increment_id", increments)
            isNarrow = true
        }
        if let raw = try input.list("state") {
            let states = try raw.map {
                guard let s = Int($0), (1...3).contains(s) else {
                    throw APIError.invalidParameter("state", "expected 1 (open), 2 (paid) or 3 (canceled)")
                }
                return s
            }
            filter.addIn("state", states)
            self.states = states
        }
        // Exact and caseless: the customer with that address (none: NULL, which matches nothing).
        if let key = try SearchText.filter(input, "customer_email", key: SearchText.emailKey) {
            filter.add("customer_id = (SELECT id FROM customers WHERE email_key = ?)", [key])
            emailKey = key
        }
        filterButRangeAndName = filter
        if let from = listing.createdFrom { filter.add("created_at >= ?", [from.text]) }
        if let upper = listing.createdUpperBound { filter.add(upper.inclusive ? "created_at <= ?" : "created_at < ?", [upper.value]) }
        filterButName = filter
        // Contains, caseless and accent-folded: the distinct names whose key holds the query's.
        // instr, not LIKE: `%`, `_` and `\` are letters like any other, and no pattern limit applies.
        if let key = try SearchText.filter(input, "billing_name", key: SearchText.nameKey) {
            filter.add("billing_name_id IN (SELECT id FROM billing_names WHERE instr(key, ?) > 0)", [key])
            nameKey = key
        }
    }

    /// A customer filter is given: its invoices are found through its own index.
    var byCustomer: Bool { emailKey != nil || nameKey != nil }

    /// Whether the per-day counts answer `total` exactly: no narrow filter and
    /// whole-day bounds (a date-time bound cuts a day in two).
    var countsByDay: Bool {
        !isNarrow && !byCustomer && listing.createdFrom?.isDateOnly != false && listing.createdTo?.isDateOnly != false
    }

    var hasCreatedRange: Bool { listing.createdFrom != nil || listing.createdTo != nil }

    /// How many invoices match the filter.
    func total(_ db: Database) throws -> Int {
        if byCustomer && !isNarrow { return try customerTotal(db) }
        guard countsByDay else {
            return try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM invoices" + filter.whereClause,
                arguments: filter.arguments) ?? 0
        }
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if let states {
            conditions.append("state IN (\(states.map(String.init).joined(separator: ",")))")
        }
        if let from = listing.createdFrom {
            conditions.append("day >= ?")
            arguments.append(String(from.text.prefix(10)))
        }
        if let to = listing.createdTo {
            conditions.append("day <= ?")
            arguments.append(String(to.text.prefix(10)))
        }
        let days = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return try Int.fetchOne(
            db, sql: "SELECT COALESCE(SUM(n), 0) FROM invoice_day_counts" + days,
            arguments: StatementArguments(arguments)) ?? 0
    }

    /// The total of a customer filter: a customer's invoices by their index
    /// (a customer has few); a name search's from the per-name counts —
    /// over a created range, from the per-name month counts, and by the
    /// names' index for the range's partial months at either end. A broad
    /// query (`a`) counts the names that do *not* hold it instead, when they
    /// have fewer invoices, and takes that from the range's total. So a
    /// total reads counts of names, and at most two months of invoices.
    func customerTotal(_ db: Database) throws -> Int {
        guard emailKey == nil, let nameKey else { return try count(db, customerScan) }
        let byName = try Row.fetchOne(
            db,
            sql: """
                SELECT COALESCE(SUM(CASE WHEN instr(n.key, ?) > 0 THEN c.n END), 0), COALESCE(SUM(c.n), 0)
                FROM billing_name_counts c JOIN billing_names n ON n.id = c.name_id WHERE 1\(statesCondition("c.state"))
                """, arguments: [nameKey])!
        let (holding, all): (Int, Int) = (byName[0], byName[1])
        guard hasCreatedRange else { return holding }
        let fewerHold = holding * 2 <= all
        let names = "IN (SELECT id FROM billing_names WHERE instr(key, ?) \(fewerHold ? ">" : "=") 0)"
        let side = try namesInRange(db, names, nameKey)
        if fewerHold { return side }
        var rest = self
        rest.filter = filterButName
        rest.nameKey = nil
        // An invoice written without a name id (by other means than the store) is in neither side.
        var unnamed = filterButName
        unnamed.add("billing_name_id IS NULL", [])
        return try rest.total(db) - side - count(db, customerScan(unnamed))
    }

    /// ` AND column IN (states)` when states are filtered on.
    func statesCondition(_ column: String) -> String {
        states.map { " AND \(column) IN (\($0.map(String.init).joined(separator: ",")))" } ?? ""
    }

    /// Invoices in the created range whose billing name id is `names` (an
    /// `IN (…)` with one argument, `key`): the whole months from
    /// `billing_name_month_counts`, the partial ones through the names' index.
    /// (Each part names its own bounds once: given two upper bounds on one
    /// column, SQLite seeks by one of them, not necessarily the nearer.)
    func namesInRange(_ db: Database, _ names: String, _ key: String) throws -> Int {
        guard let months = wholeMonths else {
            var range = filterButName
            range.add("billing_name_id " + names, [key])
            return try count(db, customerScan(range))
        }
        var conditions = filterButRangeAndName
        conditions.add("billing_name_id " + names, [key])
        var total = 0
        var monthConditions = ["name_id " + names]
        var arguments: [any DatabaseValueConvertible] = [key]
        // A partial month at either end, unless the range starts or ends on a month's start
        // (even an empty range costs a seek per name and state).
        if let first = months.first, let from = listing.createdFrom {
            monthConditions.append("month >= ?")
            arguments.append(first)
            if first != String(from.text.prefix(7)) {
                var head = conditions
                head.add("created_at >= ?", [from.text])
                head.add("created_at < ?", [first + "-01 00:00:00"])
                total += try count(db, customerScan(head))
            }
        }
        if let end = months.end, let upper = listing.createdUpperBound {
            monthConditions.append("month < ?")
            arguments.append(end)
            if upper.inclusive || upper.value != end + "-01 00:00:00" {
                var tail = conditions
                tail.add("created_at >= ?", [end + "-01 00:00:00"])
                tail.add(upper.inclusive ? "created_at <= ?" : "created_at < ?", [upper.value])
                total += try count(db, customerScan(tail))
            }
        }
        let sql =
            "SELECT COALESCE(SUM(n), 0) FROM billing_name_month_counts WHERE "
            + monthConditions.joined(separator: " AND ") + statesCondition("state")
        return try total + (Int.fetchOne(db, sql: sql, arguments: StatementArguments(arguments)) ?? 0)
    }

    /// The created range's whole months, as `YYYY-MM`: from `first` up to,
    /// not including, `end` (nil: no bound); nil when it holds none.
    var wholeMonths: (first: String?, end: String?)? {
        var first: String?
        if let from = listing.createdFrom {
            let month = String(from.text.prefix(7))
            guard let next = Self.month(after: month) else { return nil }
            first = from.text == month + "-01" || from.text == month + "-01 00:00:00" ? month : next
        }
        let end = listing.createdUpperBound.map { String($0.value.prefix(7)) }
        if let first, let end, first >= end { return nil }
        return (first, end)
    }

    /// The month after `YYYY-MM`; nil past 9998, where months stop being four-digit years.
    static func month(after month: String) -> String? {
        guard let year = Int(month.prefix(4)), let number = Int(month.suffix(2)), year < 9_999 else { return nil }
        return number == 12 ? String(format: "%04d-01", year + 1) : String(format: "%04d-%02d", year, number + 1)
    }

    /// `COUNT(*)` through a customer filter's index.
    func count(_ db: Database, _ scan: (index: String, filter: SQLConditions)) throws -> Int {
        try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM invoices INDEXED BY \(scan.index)" + scan.filter.whereClause,
            arguments: scan.filter.arguments) ?? 0
    }

    /// The index a customer filter reads its invoices by, and the filter to
    /// read it with: over a created range without a state filter, every
    /// state is named, so that the names' index seeks the range under each
    /// (`state` is 1, 2 or 3 by the table's CHECK).
    var customerScan: (index: String, filter: SQLConditions) { customerScan(filter) }

    func customerScan(_ conditions: SQLConditions) -> (index: String, filter: SQLConditions) {
        if emailKey != nil { return ("invoices_customer", conditions) }
        var scan = conditions
        if states == nil, hasCreatedRange { scan.add("state IN (1, 2, 3)", []) }
        return ("invoices_billing_name", scan)
    }

    /// All invoices, from the per-day counts.
    static func tableSize(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(n), 0) FROM invoice_day_counts") ?? 0
    }

    /// How a page is read.
    enum Plan: Equatable {
        /// SQLite's own choice: a narrow filter, a handful of rows.
        case chosenBySQLite
        /// Walk the sort index in order, stopping after one page.
        case inSortOrder
        /// Scan the created range in a covering index, keep the page's top
        /// entries in SQLite's bounded sorter, then fetch those rows.
        case rangeThenSort
        /// updated_at over a created range: walk the prompt updates from the
        /// range's end (plus a day) and the few late ones, and merge.
        case promptAndLate
        /// A customer filter: read its matches in the customer's or the
        /// names' index, keep the page's top entries in SQLite's bounded
        /// sorter, then fetch those rows.
        case customerThenSort
    }

    /// How many index entries reading one row costs, roughly: a walk in sort
    /// order reads each row it passes to test a customer filter, where the
    /// customer's or names' index answers from its own entries.
    static let rowReadCost = 4

    /// Picks the plan that reads the fewest index entries, from exact counts.
    ///
    /// Walking the sort order reads about `page × table ÷ matches` entries
    /// when matches are spread evenly in that order — but entity_id,
    /// updated_at and increment_id grow with time, so a created range sits in
    /// one stretch of their order and the walk first passes every invoice
    /// beyond it (`beyond`). Scanning the range reads `matches` entries.
    func plan(matches: Int, tableSize: Int, beyond: Int) -> Plan {
        if isNarrow { return .chosenBySQLite }
        let need = listing.offset + listing.limit
        let spread = Self.saturating(need, times: max(tableSize, 1)) / max(matches, 1)
        if byCustomer { return customerPlan(matches: matches, spread: spread, beyond: beyond) }
        guard listing.createdFrom != nil || listing.createdTo != nil else {
            // Few matches: SQLite searches them by the state index and sorts them.
            return spread < matches ? .inSortOrder : .chosenBySQLite
        }
        // A created range is one contiguous stretch of the created_at index.
        if sortName == "created_at" { return .inSortOrder }
        if sortName == "updated_at" { return .promptAndLate }
        let walk = Self.timeOrdered.contains(sortName) && !seeksToRange ? Self.saturating(beyond, plus: spread) : spread
        return walk < matches ? .inSortOrder : .rangeThenSort
    }

    /// A customer filter reads its `matches` index entries and sorts them,
    /// unless walking the sort order finds a page sooner: it passes about
    /// `spread` rows (reading each), plus, for a created range in a
    /// time-ordered sort it cannot seek, every invoice beyond the range.
    func customerPlan(matches: Int, spread: Int, beyond: Int) -> Plan {
        var walk = spread
        var walkPlan = Plan.inSortOrder
        if hasCreatedRange {
            if sortName == "updated_at" {
                walkPlan = .promptAndLate
            } else if Self.timeOrdered.contains(sortName), !seeksToRange {
                walk = Self.saturating(beyond, plus: spread)
            }
        }
        return Self.saturating(walk, times: Self.rowReadCost) < matches ? walkPlan : .customerThenSort
    }

    /// Estimates of entries read: a deep page of a large table can exceed 64
    /// bits, and an estimate that large only has to lose every comparison.
    static func saturating(_ a: Int, times b: Int) -> Int {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? .max : product
    }

    static func saturating(_ a: Int, plus b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }

    /// The sort column's name, which picks the plan and the index.
    var sortName: String { listing.sortColumn.name }

    /// Sort columns whose per-day bounds let a walk start at the range (see `idBound`).
    static let bounded: Set<String> = ["entity_id", "increment_id"]

    /// Whether this listing's walk can seek to its range with an id bound.
    var seeksToRange: Bool {
        Self.bounded.contains(sortName)
            && (listing.descending ? listing.createdTo != nil : listing.createdFrom != nil)
    }

    /// The highest (descending) or lowest (ascending) id any invoice of the
    /// created range can have: a condition that every match meets, which lets
    /// the walk seek to the range. nil when it does not apply.
    func idBound(_ db: Database) throws -> (condition: String, value: any DatabaseValueConvertible)? {
        guard seeksToRange else { return nil }
        let column = sortName
        let sql =
            listing.descending
            ? "SELECT MAX(max_\(column)) FROM invoice_day_bounds WHERE day <= ?"
            : "SELECT MIN(min_\(column)) FROM invoice_day_bounds WHERE day >= ?"
        let day = String((listing.descending ? listing.createdTo! : listing.createdFrom!).text.prefix(10))
        guard let value = try DatabaseValue.fetchOne(db, sql: sql, arguments: [day]), !value.isNull else { return nil }
        return ("\(column) \(listing.descending ? "<=" : ">=") ?", value)
    }

    /// Sort columns that grow with creation time.
    static let timeOrdered: Set<String> = ["entity_id", "updated_at", "increment_id"]

    /// Invoices the walk in sort order passes before the created range: newer
    /// than its end for a descending sort, older than its start ascending.
    func beyondRange(_ db: Database) throws -> Int {
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if let states { conditions.append("state IN (\(states.map(String.init).joined(separator: ",")))") }
        if listing.descending {
            guard let to = listing.createdTo else { return 0 }
            conditions.append("day > ?")
            arguments.append(String(to.text.prefix(10)))
        } else {
            guard let from = listing.createdFrom else { return 0 }
            conditions.append("day < ?")
            arguments.append(String(from.text.prefix(10)))
        }
        return try Int.fetchOne(
            db,
            sql: "SELECT COALESCE(SUM(n), 0) FROM invoice_day_counts WHERE "
                + conditions.joined(separator: " AND "), arguments: StatementArguments(arguments)) ?? 0
    }

    /// The index whose order is the sort order (with the state in front when
    /// one state is filtered on); `NOT INDEXED` for the table's own entity_id order.
    var sortIndexClause: String {
        let oneState = states?.count == 1
        switch sortName {
        case "entity_id": return oneState ? " INDEXED BY invoices_state" : (idsFirst ? " INDEXED BY invoices_id" : " NOT INDEXED")
        case "created_at": return oneState ? " INDEXED BY invoices_state_created" : " INDEXED BY invoices_created"
        case "updated_at": return oneState ? " INDEXED BY invoices_state_updated" : " INDEXED BY invoices_updated"
        case "increment_id": return oneState ? " INDEXED BY invoices_state_increment" : " INDEXED BY invoices_increment"
        default: return oneState ? " INDEXED BY invoices_state_grand_total" : " INDEXED BY invoices_grand_total"
        }
    }

    /// The two walks of `promptAndLate`, each selecting (updated_at, entity_id)
    /// of its first `offset + limit` matches. A prompt invoice (updated within a
    /// day of its creation) of the range was updated before the range's end plus
    /// a day and after its start, so its walk seeks there.
    func promptAndLateSQL() -> (prompt: String, promptArguments: StatementArguments, late: String) {
        let need = listing.offset + listing.limit
        let base = filter.conditions.isEmpty ? "" : " AND " + filter.conditions.joined(separator: " AND ")
        var seek = ""
        var seekArguments = StatementArguments()
        if listing.descending, let to = listing.createdTo {
            seek = " AND updated_at <= datetime(?, '+1 day')"
            seekArguments = [to.isDateOnly ? String(to.text.prefix(10)) + " 23:59:59" : to.text]
        } else if !listing.descending, let from = listing.createdFrom {
            seek = " AND updated_at >= ?"
            seekArguments = [from.text]
        }
        let order = orderClause + " LIMIT \(need)"
        let select = "SELECT updated_at, entity_id FROM invoices INDEXED BY invoices_late_updated WHERE late = "
        return (select + "0" + seek + base + order, seekArguments, select + "1" + base + order)
    }

    /// A walk in entity_id order that its index answers alone (no created
    /// range, at most one state) selects only ids: skipping an OFFSET then
    /// steps through index entries, not rows, and the page's rows are fetched
    /// after. Other walks need the rows to test their filter, and read them.
    var idsFirst: Bool {
        listing.sortsByTieBreak && listing.createdFrom == nil && listing.createdTo == nil
            && (states?.count ?? 1) == 1 && !byCustomer
    }

    /// The SQL of a plan. `rangeThenSort` (and an `idsFirst` walk) select only
    /// entity ids; `run` then fetches those rows.
    func pageSQL(_ plan: Plan) -> String {
        switch plan {
        case .promptAndLate: return promptAndLateSQL().prompt
        case .chosenBySQLite: return pageSQL()
        case .inSortOrder:
            let sql = pageSQL(indexing: sortIndexClause)
            return idsFirst ? sql.replacingOccurrences(of: "SELECT *", with: "SELECT entity_id") : sql
        case .rangeThenSort:
            let index = states == nil ? "invoices_created_cover" : "invoices_state_created_cover"
            return "SELECT entity_id FROM invoices INDEXED BY \(index)\(filter.whereClause)\(orderClause)"
                + " LIMIT \(listing.limit) OFFSET \(listing.offset)"
        case .customerThenSort:
            // grand_total_face is generated: its own terms keep the names' index covering.
            let scan = customerScan
            let order = orderClause.replacingOccurrences(of: "grand_total_face", with: "grand_total * face_factor")
            return "SELECT entity_id FROM invoices INDEXED BY \(scan.index)\(scan.filter.whereClause)\(order)"
                + " LIMIT \(listing.limit) OFFSET \(listing.offset)"
        }
    }

    /// Always ends with `entity_id`, so that the order is total and pages never
    /// repeat or skip a row.
    var orderClause: String {
        let dir = listing.descending ? "DESC" : "ASC"
        return listing.sortsByTieBreak ? " ORDER BY entity_id \(dir)" : " ORDER BY \(sortName) \(dir), entity_id \(dir)"
    }

    /// One page of whole rows. `indexing` is an `INDEXED BY name` or
    /// `NOT INDEXED` clause, or empty to let SQLite choose.
    func pageSQL(indexing: String = "") -> String {
        "SELECT * FROM invoices\(indexing)\(filter.whereClause)\(orderClause) LIMIT \(listing.limit) OFFSET \(listing.offset)"
    }

    /// The plan for `matches` rows, and the query that carries it out (with
    /// the id bound added when the walk can seek to the range).
    func planned(_ db: Database, matches: Int) throws -> (plan: Plan, query: InvoiceListQuery) {
        let plan =
            isNarrow
            ? .chosenBySQLite
            : self.plan(matches: matches, tableSize: try Self.tableSize(db), beyond: try beyondRange(db))
        var query = self
        if plan == .inSortOrder, let bound = try idBound(db) { query.filter.add(bound.condition, [bound.value]) }
        return (plan, query)
    }

    /// One page, and the total when pagination metadata was asked for.
    func run(_ db: Database) throws -> (rows: [InvoiceRow], total: Int?) {
        let needsTotal = listing.includePagination
        // The narrow filters match a handful of rows: SQLite's own plan is right.
        let matches = isNarrow && !needsTotal ? 0 : try total(db)
        let (plan, query) = try planned(db, matches: matches)
        if plan == .promptAndLate {
            let walks = query.promptAndLateSQL()
            let prompt = try Row.fetchAll(db, sql: walks.prompt, arguments: walks.promptArguments + query.filter.arguments)
            let late = try Row.fetchAll(db, sql: walks.late, arguments: query.filter.arguments)
            let descending = query.listing.descending
            let merged = (prompt + late).map { (updated: $0[0] as String, id: $0[1] as Int64) }.sorted { a, b in
                descending ? (a.updated, a.id) > (b.updated, b.id) : (a.updated, a.id) < (b.updated, b.id)
            }
            let ids = Array(merged.dropFirst(query.listing.offset).prefix(query.listing.limit).map(\.id))
            return (try Self.fetch(db, ids), needsTotal ? matches : nil)
        }
        let sql = query.pageSQL(plan)
        let arguments = plan == .customerThenSort ? query.customerScan.filter.arguments : query.filter.arguments
        if plan == .rangeThenSort || plan == .customerThenSort || (plan == .inSortOrder && query.idsFirst) {
            return (try Self.fetch(db, try Int64.fetchAll(db, sql: sql, arguments: arguments)), needsTotal ? matches : nil)
        }
        return (try InvoiceRow.fetchAll(db, sql: sql, arguments: arguments), needsTotal ? matches : nil)
    }

    /// Rows by id, in the ids' order.
    static func fetch(_ db: Database, _ ids: [Int64]) throws -> [InvoiceRow] {
        let byId = Dictionary(uniqueKeysWithValues: try InvoiceRow.fetchAll(db, keys: ids).map { ($0.entityId!, $0) })
        return ids.compactMap { byId[$0] }
    }
}
