import Foundation
import Hummingbird

/// The parameters of one request: its query string and, when present, its JSON
/// body. A listing accepts a filter in either; when both carry a field, the
/// query string wins (family rule).
struct RequestInput: Sendable {
    /// Query values by name; `name[]` is folded into `name`.
    let query: [String: [String]]
    /// Query names that were written `name[]`, i.e. as a list.
    let listStyle: Set<String>
    /// The JSON body's object, or empty.
    let body: [(String, JSON)]

    init(query: [String: [String]] = [:], listStyle: Set<String> = [], body: [(String, JSON)] = []) {
        self.query = query
        self.listStyle = listStyle
        self.body = body
    }

    /// The largest body a route reads.
    static let maxBody = 1 << 20

    static func read(_ request: Request, maxBody: Int = RequestInput.maxBody) async throws -> RequestInput {
        var query: [String: [String]] = [:]
        var listStyle: Set<String> = []
        for (key, value) in Self.formPairs(request.uri.query ?? "") {
            var name = key
            if name.hasSuffix("[]") {
                name.removeLast(2)
                listStyle.insert(name)
            }
            query[name, default: []].append(value)
        }
        var request = request
        let buffer = try await request.collectBody(upTo: maxBody)
        let bytes = Array(buffer.readableBytesView)
        guard bytes.contains(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else {
            return RequestInput(query: query, listStyle: listStyle)
        }
        guard case .object(let pairs) = try? JSON.parse(bytes) else { throw APIError.invalidJSON }
        return RequestInput(query: query, listStyle: listStyle, body: pairs)
    }

    /// A query string's pairs as forms write them: `+` is a space, then
    /// percent-escapes are decoded, in names as in values (`created_from=2026-05-01+10:00:00`).
    static func formPairs(_ query: String) -> [(String, String)] {
        func decode(_ part: Substring) -> String {
            let spaced = part.replacingOccurrences(of: "+", with: " ")
            return spaced.removingPercentEncoding ?? spaced
        }
        return query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            guard let equals = pair.firstIndex(of: "=") else { return (decode(pair), "") }
            return (decode(pair[..<equals]), decode(pair[pair.index(after: equals)...]))
        }
    }

    /// A whole number as the family's clients write one: digits with an
    /// optional sign, or a JSON number whose value is whole (`3688.0`, `1e3`,
    /// which JSON Schema counts as integers), within 64 bits; nil otherwise.
    static func wholeNumber(_ text: String) -> Int64? {
        if let plain = Int64(text) { return plain }
        var rest = Substring(text)
        let negative = rest.first == "-"
        if negative || rest.first == "+" { rest = rest.dropFirst() }
        var exponent = 0
        if let e = rest.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard let value = Int(rest[rest.index(after: e)...]), value.magnitude <= 40 else { return nil }
            exponent = value
            rest = rest[..<e]
        }
        let parts = rest.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count > 1 ? parts[1] : ""
        guard !(whole.isEmpty && fraction.isEmpty), (whole + fraction).allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        // The digits, and how many of them stand after the point once the exponent has moved it.
        var digits = Array(whole + fraction)
        var after = fraction.count - exponent
        while after > 0, digits.last == "0" {
            digits.removeLast()
            after -= 1
        }
        guard after <= 0 else { return nil }
        digits += Array(repeating: "0", count: -after)
        var value: Int64 = 0
        for digit in digits {
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = times.addingReportingOverflow(Int64(digit.asciiValue! - 48))
            guard !o1, !o2 else { return negative && String(digits) == "9223372036854775808" ? .min : nil }
            value = next
        }
        return negative ? -value : value
    }

    func has(_ name: String) -> Bool { query[name] != nil || bodyValue(name) != nil }

    func bodyValue(_ name: String) -> JSON? { body.last(where: { $0.0 == name })?.1 }

    /// A single value as text: the query's first, else the body's string or
    /// number. `true` is not an id or a number: only `flag` reads booleans.
    func text(_ name: String) throws -> String? {
        if let values = query[name] { return try values.first.map { try Self.stored($0, name) } }
        switch bodyValue(name) {
        case nil, .null?: return nil
        case .string(let s)?: return try Self.stored(s, name)
        case .number(let n)?: return n
        default: throw APIError.invalidParameter(name, "expected a single value")
        }
    }

    /// The most values a list filter takes: each becomes an SQL parameter, and
    /// SQLite refuses a statement with too many (a 500, where a 400 is due).
    static let maximumListCount = 1_000

    /// A list: repeated `name[]=`, a comma list, or a JSON array (of strings or
    /// numbers); at most `maximumListCount` values.
    func list(_ name: String) throws -> [String]? {
        let values = try unboundedList(name)
        if let values, values.count > Self.maximumListCount {
            throw APIError.invalidParameter(name, "at most \(Self.maximumListCount) values")
        }
        return values
    }

    private func unboundedList(_ name: String) throws -> [String]? {
        if let values = query[name] {
            return try values.flatMap { try Self.stored($0, name).split(separator: ",").map(\.trimmed) }
        }
        switch bodyValue(name) {
        case nil, .null?: return nil
        case .string(let s)?: return try Self.stored(s, name).split(separator: ",").map(\.trimmed)
        case .number(let n)?: return [n]
        case .array(let items)?:
            return try items.map {
                switch $0 {
                case .string(let s): return try Self.stored(s, name)
                case .number(let n): return n
                default: throw APIError.invalidParameter(name, "expected strings or numbers")
                }
            }
        default: throw APIError.invalidParameter(name, "expected a list")
        }
    }

    /// A whole number; present but not a whole number is a 400.
    func integer(_ name: String) throws -> Int64? {
        guard let raw = try text(name) else { return nil }
        guard let value = Self.wholeNumber(raw) else { throw APIError.invalidParameter(name, "expected a whole number") }
        return value
    }

    /// Free text such as a comment: a string from the body or the query; empty is none.
    func note(_ name: String) throws -> String? {
        switch bodyValue(name) ?? query[name]?.first.map(JSON.string) {
        case nil, .null?: return nil
        case .string(let text)?: return text.isEmpty ? nil : try Self.stored(text, name)
        default: throw APIError.invalidParameter(name, "expected a string")
        }
    }

    /// Text that SQLite will store whole. A NUL ends a string where it is
    /// bound, so "100000041\u{0}x" would name invoice 100000041 and a
    /// comment would lose its tail in silence: refused, naming the parameter.
    static func stored(_ text: String, _ name: String) throws -> String {
        guard !text.utf8.contains(0) else { throw APIError.invalidParameter(name, "the control character NUL is not allowed") }
        return text
    }

    /// True when a value was sent as a list (`name[]=`, a JSON array, or a comma list),
    /// as opposed to one plain value, which the family treats as a lookup.
    func isList(_ name: String) throws -> Bool {
        if listStyle.contains(name) { return true }
        if case .array? = bodyValue(name) { return true }
        return (try list(name)?.count ?? 0) > 1
    }

    /// The one record a listing request names instead of filtering: `id=`,
    /// or a single `increment_id=` (a list of them is a filter).
    func lookupKey() throws -> LookupKey? {
        if let id = try integer("id") { return .id(id) }
        if let numbers = try list("increment_id"), let single = numbers.first, try !isList("increment_id") {
            return .incrementId(single)
        }
        return nil
    }

    /// `1`, `true` (and `0`, `false`); anything else is a 400.
    func flag(_ name: String) throws -> Bool {
        if query[name] == nil, case .bool(let value)? = bodyValue(name) { return value }
        guard let raw = try text(name) else { return false }
        switch raw.lowercased() {
        case "1", "true", "yes": return true
        case "0", "false", "no", "": return false
        default: throw APIError.invalidParameter(name, "expected 1 or 0")
        }
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    var trimmed: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}

extension RequestInput {
    /// The one of `names` the request gives, and its text: a request names its
    /// target one way only. None: 400 "a, b or c is required" (or `required`);
    /// several: 400 "Use either a or b", "Use only one of a, b or c" (the contract's words).
    func exactlyOne(of names: [String], required: String? = nil) throws -> (name: String, value: String) {
        let given = try names.compactMap { name in try text(name).map { (name, $0) } }
        let listed = names.count < 2 ? names.joined() : names.dropLast().joined(separator: ", ") + " or " + names[names.count - 1]
        guard !given.isEmpty else { throw APIError(.badRequest, required ?? listed + " is required") }
        guard given.count == 1 else { throw APIError(.badRequest, (names.count == 2 ? "Use either " : "Use only one of ") + listed) }
        return given[0]
    }

    /// An identifier given as `name`: a whole number, or 400 naming the parameter.
    static func id(_ value: String, named name: String) throws -> Int64 {
        guard let id = wholeNumber(value) else { throw APIError.invalidParameter(name, "expected a whole number") }
        return id
    }
}
