import Foundation

/// A listing request: every filter of `GET /api2/invoice`, checked before it
/// is sent so that a typo is a clear message, not a round trip.
public struct InvoiceQuery: Sendable, Hashable {
    public enum SortField: String, Sendable, CaseIterable, Hashable {
        case entityId = "entity_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case incrementId = "increment_id"
        case grandTotal = "grand_total"

        /// What it sorts by, as the header and the sort menu name it ("newest"
        /// is the created sort, descending: the store's internal id is only
        /// the order records were written in, and an import can put an old
        /// invoice on top of it).
        public var label: String {
            switch self {
            case .entityId: return "internal id"
            case .createdAt: return "created"
            case .updatedAt: return "updated"
            case .incrementId: return "invoice #"
            case .grandTotal: return "grand total"
            }
        }
    }

    /// The states to include (the family filters on open, paid and canceled); empty is all.
    public var states: Set<InvoiceState> = []
    /// What the listing can filter on.
    public static let filterableStates: [InvoiceState] = [.open, .paid, .canceled]
    public var createdFrom: DateBound?
    public var createdTo: DateBound?
    public var orderId: Int64?
    public var orderIncrementId: String?
    /// Invoice numbers to list (always sent as a list, never as a lookup).
    public var invoiceIncrementIds: [String] = []
    /// Only this customer's invoices (a Folio extension: checked row by row).
    public var customer: CustomerFilter?
    public var sort: SortField = .createdAt
    public var descending = true
    public var page = 1
    public var limit = 20
    public var includePagination = true

    public init() {}

    /// Refuses what the server would refuse, with the reason.
    public func validate() throws(FolioError) {
        guard page >= 1 else { throw .invalidInput("page must be 1 or more") }
        guard (1...200).contains(limit) else { throw .invalidInput("limit must be 1 to 200") }
        guard states.isSubset(of: InvoiceQuery.filterableStates) else { throw .invalidInput("state must be open, paid or canceled") }
        if let from = createdFrom, let to = createdTo, from.start > to.end {
            throw .invalidInput("the date range ends (\(to.text)) before it starts (\(from.text))")
        }
        if let order = orderIncrementId, order.isEmpty { throw .invalidInput("the order number is empty") }
        if let customer {
            switch customer {
            case .email(let text), .name(let text):
                guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw .invalidInput("the customer to search for is empty") }
            }
        }
    }

    /// The query string, in a stable order.
    public var queryItems: [(String, String)] {
        var items: [(String, String)] = [("page", String(page)), ("limit", String(limit))]
        if includePagination { items.append(("include_pagination", "1")) }
        // The wire's codes (1 open, 2 paid, 3 canceled) live here only.
        let codes = Set(states.compactMap(\.code)).sorted()
        if !codes.isEmpty { items.append(("state", codes.map(String.init).joined(separator: ","))) }
        if let from = createdFrom { items.append(("created_from", from.text)) }
        if let to = createdTo { items.append(("created_to", to.text)) }
        if let orderId { items.append(("order_id", String(orderId))) }
        if let orderIncrementId { items.append(("order_increment_id", orderIncrementId)) }
        for id in invoiceIncrementIds { items.append(("increment_id[]", id)) }
        if let customer { items.append(customer.queryItem) }
        items.append(("sort", sort.rawValue))
        items.append(("direction", descending ? "desc" : "asc"))
        return items
    }

    /// The same query on another page: the key of a page cache.
    public func onPage(_ page: Int) -> InvoiceQuery {
        var copy = self
        copy.page = page
        return copy
    }
}

/// A date filter bound as the family accepts it: `YYYY-MM-DD` (a whole day) or
/// `YYYY-MM-DD HH:MM:SS`.
public struct DateBound: Sendable, Hashable, CustomStringConvertible {
    public let text: String
    public let isDateOnly: Bool
    /// Seconds since 1970 (UTC) of the bound's first and last second.
    let start: Int64
    let end: Int64

    public init?(_ raw: String) {
        let text = raw.trimmingCharacters(in: .whitespaces)
        let b = Array(text.utf8)
        func number(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                guard (48...57).contains(b[i]) else { return nil }
                v = v * 10 + Int(b[i] - 48)
            }
            return v
        }
        guard b.count == 10 || b.count == 19, b[4] == 45, b[7] == 45,
            let y = number(0..<4), let m = number(5..<7), let d = number(8..<10),
            let day = DateBound.seconds(y, m, d)
        else { return nil }
        if b.count == 10 {
            self.text = text
            isDateOnly = true
            start = day
            end = day + 86_399
        } else {
            guard b[10] == 32, b[13] == 58, b[16] == 58, let h = number(11..<13), let mi = number(14..<16),
                let s = number(17..<19), h < 24, mi < 60, s < 60
            else { return nil }
            self.text = text
            isDateOnly = false
            start = day + Int64(h * 3600 + mi * 60 + s)
            end = start
        }
    }

    public init(date: Date) { self.init(DateBound.dayText(date))! }

    public var description: String { text }

    /// Days since 1970 by the civil calendar, or nil for a date that does not exist.
    static func seconds(_ y: Int, _ m: Int, _ d: Int) -> Int64? {
        guard (1...12).contains(m), d >= 1 else { return nil }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard d <= lengths[m - 1] else { return nil }
        // Howard Hinnant's days_from_civil.
        let yy = m <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return Int64(era * 146_097 + doe - 719_468) * 86_400
    }

    static func dayText(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: date)
    }
}
