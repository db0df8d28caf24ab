import Foundation

/// A JSON document as the fuzzer writes it. Numbers keep the exact text
/// they are written with (`123.4500`, `1e400`, `-0`), which JSONSerialization
/// cannot produce; keys keep their order and may repeat, as a careless
/// store's may. Seeds are written as literals (`Seeds.swift`).
indirect enum FuzzJSON: Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByNilLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([FuzzJSON])
    case object([(String, FuzzJSON)])

    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int64) { self = .number(String(value)) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(nilLiteral: ()) { self = .null }
    init(arrayLiteral elements: FuzzJSON...) { self = .array(elements) }
    init(dictionaryLiteral elements: (String, FuzzJSON)...) { self = .object(elements) }

    var bytes: [UInt8] {
        var out: [UInt8] = []
        write(into: &out)
        return out
    }

    func write(into out: inout [UInt8]) {
        switch self {
        case .null: out += Array("null".utf8)
        case .bool(let b): out += Array((b ? "true" : "false").utf8)
        case .number(let text): out += Array(text.utf8)
        case .string(let s): Self.quote(s, into: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                item.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let pairs):
            out.append(UInt8(ascii: "{"))
            for (i, (key, value)) in pairs.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                Self.quote(key, into: &out)
                out.append(UInt8(ascii: ":"))
                value.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// A JSON string: what JSON requires escaped, and every scalar outside
    /// ASCII written raw (UTF-8), so that decoders see both forms.
    static func quote(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for scalar in s.unicodeScalars {
            switch scalar.value {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0..<0x20:
                let hex = String(scalar.value, radix: 16)
                out += Array(("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
            default: out += Array(String(scalar).utf8)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    subscript(key: String) -> FuzzJSON? {
        if case .object(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }

    // MARK: Mutation

    /// This document with its values changed where the bytes say. Zeros keep
    /// a value as it is, so a short input is the seed itself, nearly.
    func mutated(_ b: inout FuzzBytes, depth: Int = 0) -> FuzzJSON {
        switch self {
        case .object(let pairs):
            var out: [(String, FuzzJSON)] = []
            for (key, value) in pairs {
                switch b.below(24) {
                case 0..<16: out.append((key, value.mutated(&b, depth: depth + 1)))
                case 16: out.append((key, Self.value(&b, depth: depth + 1)))
                case 17: continue
                case 18: out.append((Self.respelled(key, &b), value))
                case 19: out.append((key, .null))
                case 20: out += [(key, value), (key, Self.value(&b, depth: depth + 1))]
                case 21: out += [(key, value), (b.pick(Self.keys), Self.value(&b, depth: depth + 1))]
                case 22: out.append((key, .string(b.decimalText())))
                default: out.append((key, .number(Self.numberText(&b))))
                }
            }
            return .object(out)
        case .array(let items):
            var out: [FuzzJSON] = []
            for item in items {
                switch b.below(16) {
                case 0..<12: out.append(item.mutated(&b, depth: depth + 1))
                case 12: continue
                case 13: out += [item, item.mutated(&b, depth: depth + 1)]
                case 14: out.append(Self.value(&b, depth: depth + 1))
                default: out += Array(repeating: item, count: b.below(40))
                }
            }
            return .array(out)
        default:
            switch b.below(16) {
            case 0..<11: return self
            case 11: return .string(b.decimalText())
            case 12: return .number(Self.numberText(&b))
            case 13: return .string(b.text())
            default: return Self.value(&b, depth: depth + 1)
            }
        }
    }

    /// Any value, small.
    static func value(_ b: inout FuzzBytes, depth: Int) -> FuzzJSON {
        switch b.below(depth > 4 ? 7 : 9) {
        case 0: return .null
        case 1: return .bool(b.bool())
        case 2: return .number(numberText(&b))
        case 3: return .string(b.decimalText())
        case 4: return .string(b.text())
        case 5:
            return .number(
                b.pick([
                    "0", "1", "-1", "9223372036854775807", "-9223372036854775808",
                    "9223372036854775808", "18446744073709551616", "1e38", "1e-130", "1E400",
                ]))
        case 6: return .string(b.pick(["0", "1", "true", "false", "yes", "no", "", " 7 ", "USD", "paid", "open"]))
        case 7: return .array((0..<b.below(4)).map { _ in value(&b, depth: depth + 1) })
        default: return .object((0..<b.below(4)).map { _ in (b.pick(keys), value(&b, depth: depth + 1)) })
        }
    }

    /// A JSON number's text: mostly valid, of every size and precision.
    static func numberText(_ b: inout FuzzBytes) -> String {
        var out = b.bool() ? "-" : ""
        let whole = b.below(4) == 0 ? 1 + b.below(70) : 1 + b.below(6)
        out += String(1 + b.byte() % 9)
        for _ in 1..<whole { out += String(b.byte() % 10) }
        if b.bool() {
            out += "."
            for _ in 0..<(1 + (b.below(4) == 0 ? b.below(70) : b.below(6))) { out += String(b.byte() % 10) }
        }
        if b.below(6) == 0 { out += b.pick(["e", "E", "e-", "e+"]) + String(b.below(500)) }
        if b.below(20) == 0 { out = b.pick(["0", "-0", "0.0", "00", "1.", ".5", "+1", "NaN", "Infinity", "0x10"]) }
        return out
    }

    /// The field names the decoders know, in both families' spellings.
    static let keys = [
        "entity_id", "id", "increment_id", "incrementId", "order_id", "orderId", "order_increment_id", "orderIncrementId",
        "state", "status", "grand_total", "grandTotal", "base_grand_total", "subtotal", "subTotal", "tax_amount",
        "taxAmount", "shipping_amount", "discount_amount", "order_currency_code", "orderCurrencyCode",
        "base_currency_code", "baseCurrencyCode", "total_qty", "email_sent", "emailSent", "billing_name",
        "customer_email", "created_at", "updated_at", "items", "comments", "comment", "qty", "price", "row_total",
        "order_item_id", "orderItemId", "sku", "name", "additional", "attributes", "label", "value", "data", "invoice",
        "invoices", "order", "orders", "page", "limit", "total", "last_page", "has_next", "current_page", "per_page",
        "error", "message", "title", "detail", "errors", "success", "invoice_id", "qty_to_invoice", "qty_ordered",
        "is_qty_decimal", "can_invoice", "formattedGrandTotal", "baseGrandTotal", "billingAddress", "addresses",
        "addressType", "is_customer_notified", "ref", "event", "at", "intent", "result",
    ]

    /// The same field under another spelling a store might use.
    static func respelled(_ key: String, _ b: inout FuzzBytes) -> String {
        switch b.below(4) {
        case 0:
            let parts = key.split(separator: "_")
            return parts.enumerated().map { $0.offset == 0 ? String($0.element) : $0.element.capitalized }.joined()
        case 1: return key.uppercased()
        case 2: return b.pick(keys)
        default: return b.text(limit: 6)
        }
    }
}
