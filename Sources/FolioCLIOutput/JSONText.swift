import FolioCore
import Foundation

/// The CLI's JSON: keys in a stable order, money as exact decimal strings,
/// written by hand because Foundation's JSONSerialization costs about a
/// quarter of a millisecond per invoice on Linux — most of an export's time.
public indirect enum JSONText {
    case null
    case bool(Bool)
    case int(Int64)
    case string(String)
    case array([JSONText])
    case object(KeyValuePairs<String, JSONText>)
    /// An object whose keys are known only at run time.
    case fields([(String, JSONText)])

    public static func text(_ value: String?) -> JSONText { value.map(JSONText.string) ?? .null }
    /// The amount as the store sent it (`"123.4500"` stays so), as a string so no parser makes it a float.
    public static func money(_ value: Money?) -> JSONText { value.map { .string($0.exact) } ?? .null }
    public static func number(_ value: Int64?) -> JSONText { value.map(JSONText.int) ?? .null }
    public static func flag(_ value: Bool?) -> JSONText { value.map(JSONText.bool) ?? .null }
    public static func decimal(_ value: Decimal) -> JSONText { .string(value.description) }

    /// One line (JSON lines), or indented by two spaces for people.
    public func rendered(pretty: Bool = false) -> String {
        var out = ""
        write(into: &out, pretty: pretty, depth: 0)
        return out
    }

    private func write(into out: inout String, pretty: Bool, depth: Int) {
        func newline(_ d: Int) { if pretty { out += "\n" + String(repeating: "  ", count: d) } }
        func members(_ pairs: [(String, JSONText)]) {
            out += "{"
            for (i, (key, value)) in pairs.enumerated() {
                out += i == 0 ? "" : ","
                newline(depth + 1)
                JSONText.quote(key, into: &out)
                out += pretty ? ": " : ":"
                value.write(into: &out, pretty: pretty, depth: depth + 1)
            }
            if !pairs.isEmpty { newline(depth) }
            out += "}"
        }
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let n): out += String(n)
        case .string(let s): JSONText.quote(s, into: &out)
        case .object(let pairs): members(pairs.map { ($0.key, $0.value) })
        case .fields(let pairs): members(pairs)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                out += i == 0 ? "" : ","
                newline(depth + 1)
                item.write(into: &out, pretty: pretty, depth: depth + 1)
            }
            if !items.isEmpty { newline(depth) }
            out += "]"
        }
    }

    /// A JSON string. Besides what JSON requires (quote, backslash, C0), DEL, C1
    /// controls and the bidi and line-separator characters that `VisibleText`
    /// escapes are written as `\uXXXX`: JSON allows them raw, but then a `cat`
    /// of the output would let them act on the terminal. Parsers read both the same
    /// — except U+FEFF, which Foundation's parser on Linux drops from the start
    /// of a string when it is raw, so it is escaped too.
    public static func quote(_ s: String, into out: inout String) {
        out += "\""
        for unit in s.unicodeScalars {
            switch unit.value {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case _ where VisibleText.isHidden(unit) || unit == "\u{FEFF}": out += "\\u" + VisibleText.hex(unit.value, digits: 4)
            default: out.unicodeScalars.append(unit)
            }
        }
        out += "\""
    }
}
