import Foundation

/// A key by name, so that one decoder can read a field under more than one
/// spelling (`grand_total` or `grandTotal`).
struct AnyKey: CodingKey, Hashable {
    let stringValue: String
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    var intValue: Int? { nil }
    init?(intValue: Int) { nil }
}

/// Reading what real servers send, not what a schema promises: numbers as
/// JSON numbers or strings (`"123.4500"`), booleans as true/false, 0/1 or
/// "0"/"1", ids as numbers or strings, and missing or null optional fields as
/// nil. A value of the wrong kind is a `DecodingError` whose coding path names
/// the field, which `FolioError.malformedResponse` shows.
extension KeyedDecodingContainer where Key == AnyKey {
    func first(_ names: [String]) -> AnyKey? {
        names.lazy.map(AnyKey.init).first { contains($0) }
    }

    func isNull(_ key: AnyKey) -> Bool { (try? decodeNil(forKey: key)) ?? true }

    // Each probe that fails throws and catches a DecodingError, which is
    // slow; so the spelling a family usually sends is tried first: decimal
    // strings (the /api2 family's bulk listings), whole numbers for ids,
    // 0/1 for flags.
    func decimal(_ names: String...) throws -> Decimal? { try amount(names)?.value }

    /// A number and the text it came as: the string itself (`"123.4500"`), or
    /// for a JSON number its digits.
    func amount(_ names: [String]) throws -> SentAmount? {
        guard let key = first(names), !isNull(key) else { return nil }
        if let text = try? decode(String.self, forKey: key) {
            if text.isEmpty { return nil }
            if let value = Decimal(exactly: text) { return SentAmount(value: value, text: text) }
        } else if let value = try? decode(Decimal.self, forKey: key) {
            return SentAmount(value: value, text: value.description)
        }
        throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "expected a number or a decimal string")
    }

    /// Money in `currency` that keeps the store's own text of the amount.
    func money(_ names: String..., currency: String, formatted: String? = nil) throws -> Money? {
        try amount(names)?.money(currency, formatted: formatted)
    }

    func flag(_ names: String...) throws -> Bool? {
        guard let key = first(names), !isNull(key) else { return nil }
        if let value = try? decode(Int.self, forKey: key), value == 0 || value == 1 { return value == 1 }
        if let value = try? decode(Bool.self, forKey: key) { return value }
        if let text = try? decode(String.self, forKey: key) {
            switch text.lowercased() {
            case "1", "true", "yes": return true
            case "0", "false", "no": return false
            default: break
            }
        }
        throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "expected true/false, 0/1 or \"0\"/\"1\"")
    }

    func integer(_ names: String...) throws -> Int64? {
        guard let key = first(names), !isNull(key) else { return nil }
        if let value = try? decode(Int64.self, forKey: key) { return value }
        if let text = try? decode(String.self, forKey: key), let value = Int64(text.trimmingCharacters(in: .whitespaces)) {
            return value
        }
        throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "expected a whole number")
    }

    func text(_ names: String...) throws -> String? {
        guard let key = first(names), !isNull(key) else { return nil }
        if let value = try? decode(String.self, forKey: key) { return value }
        if let value = try? decode(Int64.self, forKey: key) { return String(value) }
        if let value = try? decode(Decimal.self, forKey: key) { return value.description }
        throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "expected text")
    }

    /// A field that must be there.
    func required<T>(_ value: T?, _ name: String) throws -> T {
        guard let value else {
            throw DecodingError.keyNotFound(AnyKey(name), .init(codingPath: codingPath, debugDescription: "\(name) is missing"))
        }
        return value
    }
}

/// An amount as decoded, with the text the store wrote it as.
struct SentAmount: Sendable {
    let value: Decimal
    let text: String

    func money(_ currency: String, formatted: String? = nil) -> Money {
        Money(value, currency, formatted: formatted, sent: text)
    }
}

/// Any JSON value, for the fields a server adds that Folio has no name for:
/// kept and shown as they came.
public enum JSONValue: Sendable, Hashable, Decodable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Decimal)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let n = try? c.decode(Decimal.self) {
            self = .number(n)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    public var description: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n.description
        case .string(let s): return s
        case .array(let a): return a.map(\.description).joined(separator: ", ")
        case .object(let o): return o.keys.sorted().map { "\($0): \(o[$0]!)" }.joined(separator: ", ")
        }
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }
}

extension DecodingError {
    /// `invoices[3].grand_total`: where in the answer the bad value is.
    var fieldPath: String {
        let path: [any CodingKey]
        switch self {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): path = c.codingPath
        case .keyNotFound(let key, let c): path = c.codingPath + [key]
        @unknown default: path = []
        }
        return path.reduce("") { result, key in
            if let i = key.intValue { return result + "[\(i)]" }
            return result.isEmpty ? key.stringValue : result + "." + key.stringValue
        }
    }

    var reason: String {
        switch self {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): return c.debugDescription
        case .keyNotFound(let key, _): return "\(key.stringValue) is missing"
        @unknown default: return "unreadable"
        }
    }
}
