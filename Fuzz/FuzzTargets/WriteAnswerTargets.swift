@_spi(Fuzzing) import FolioCore
import Foundation

/// The readers of a store's answers to writes, judged against an oracle
/// built with the answer: a create's answer is taken as its own exactly
/// when it is an invoice of the plan's order that carries the write's marker
/// (and the plan's lines, where it shows lines); a resend's exactly when it
/// names the invoice and says whether the email went.
enum WriteAnswerTargets {
    static func createAnswer(_ b: inout FuzzBytes, raw: Bool) throws(PropertyViolation) {
        let answer = raw ? b.rest() : nil
        let order = Seeds.plannedOrder
        var quantities: [Int64: Decimal] = [:]
        for item in order.items { quantities[item.id] = [item.qtyToInvoice, 0, 1, 2][b.below(4)] }
        guard let plan = try? CapturePlan(order: order, quantities: quantities) else { return }
        var random = ReplayedRandom(bytes: FuzzBytes((0..<10).map { _ in b.byte() }))
        let reference = StoreAnswers.reference(using: &random)
        let body = Data(answer ?? Self.answer(to: plan, reference: reference, &b).mutated(&b).bytes)

        let taken = try? StoreAnswers.createAnswer(body, plan: plan, reference: reference)
        guard let lookup = try? StoreAnswers.invoiceLookup(body) else {
            return try require(taken == nil, .createAnswer, "an answer that does not decode was taken")
        }
        let asked = plan.quantities.filter { $0.value != 0 }
        var lines: [Int64: Decimal] = [:]
        for line in lookup.detail.items { if let id = line.orderItemId { lines[id, default: 0] += line.qty } }
        let ours =
            lookup.summary.id > 0 && !lookup.summary.incrementId.isEmpty
            && lookup.summary.orderIncrementId == plan.orderNumber
            && lookup.detail.comments.contains { Oracle.markedReference($0.text) == reference.value }
            && (lookup.detail.items.isEmpty || (!asked.isEmpty && asked.allSatisfy { lines[$0.key] == $0.value }))
        try require(
            (taken != nil) == ours, .createAnswer,
            (ours ? "this write's answer was not taken: " : "an answer that is not this write's was taken: ")
                + String(decoding: body.prefix(600), as: UTF8.self))
        if let taken { try require(taken.id == lookup.summary.id, .createAnswer, "another invoice than the answer's") }
    }

    /// A look-up shaped answer to `plan`, its comments carrying the marker
    /// as Folio writes it, and as a store might mangle or counterfeit it.
    static func answer(to plan: CapturePlan, reference: OperationReference, _ b: inout FuzzBytes) -> FuzzJSON {
        var other = ReplayedRandom(bytes: FuzzBytes([b.byte(), b.byte(), b.byte()]))
        let marker = reference.marker
        let comments: [FuzzJSON] = (0..<b.below(4)).map { _ in
            let text: String =
                switch b.below(10) {
                case 0: reference.marked(b.text())
                case 1: String(repeating: " ", count: b.below(3)) + marker
                case 2: marker.lowercased()
                case 3: "[folio-op " + reference.value.replacingOccurrences(of: "-", with: b.pick(["", " ", "--"])) + "]"
                case 4: StoreAnswers.reference(using: &other).marked(b.text())
                case 5: b.text() + marker
                case 6: b.pick(["\u{301}", "\u{200B}", "\t", "\u{A0}", "x", "(", "\u{FEFF}"]) + marker
                case 7: "[folio-op " + reference.value + b.pick(["", " ", "X", "-"]) + b.text()
                case 8: reference.marked(b.text()).replacingOccurrences(of: "]", with: b.pick(["]\u{301}", " ]", "}", "]]"]))
                default: b.text()
                }
            return ["entity_id": .number(String(1 + b.below(9))), "comment": .string(text), "is_customer_notified": 0]
        }
        let items: [FuzzJSON] = plan.quantities.keys.sorted().map { id in
            [
                "order_item_id": .number(String(id)), "sku": .string("SKU-\(id)"), "name": "Item",
                "qty": .string("\(plan.quantities[id]!).0000"),
                "price": "10.0000", "row_total": "10.0000",
            ]
        }
        return [
            "invoice": [
                "entity_id": .number(String(b.below(3))), "increment_id": b.bool() ? "" : "100000077", "order_id": 44,
                "order_increment_id": .string(b.below(8) == 0 ? "100000045" : plan.orderNumber), "state": 2,
                "grand_total": "21.4000", "base_grand_total": "21.4000", "order_currency_code": "USD", "base_currency_code": "USD",
                "email_sent": 0, "items": b.below(6) == 0 ? [] : .array(items), "comments": .array(comments),
            ]
        ]
    }

    static func emailAnswer(_ b: inout FuzzBytes, raw: Bool) throws(PropertyViolation) {
        if raw {
            let answer = b.rest()
            _ = try? StoreAnswers.emailAnswer(Data(answer), invoiceId: 456)
            return
        }
        let id: Int64 = b.pick([456, 12, 1, 0, -7, Int64.max])
        // Each field as JSON, with what it means: .some(nil) absent or null, nil unreadable.
        let flags: [(FuzzJSON, Bool??)] = [
            (1, true), (0, false), (true, true), (false, false), ("1", true), ("0", false), ("true", true),
            ("FALSE", false), ("Yes", true), ("no", false), (nil, .some(nil)), ("2", nil), (2, nil), ("", nil),
            (" 1", nil), ("maybe", nil), ([], nil), ([:], nil),
        ]
        let ids: [(FuzzJSON, Int64??)] = [
            (.number(String(id)), id), (.string(String(id)), id), (.string(" \(id) "), id), (.string("\t\(id)"), id),
            (13, 13), ("13", 13), (nil, .some(nil)), ("x", nil), ("1.5", nil), (true, nil), ([], nil),
            (.number("99999999999999999999"), nil),
        ]
        var fields: [(String, FuzzJSON)] = []
        func field<T>(_ names: [String], _ choices: [(FuzzJSON, T??)]) -> T?? {
            guard b.below(8) != 0 else { return .some(nil) }
            let (json, meaning) = b.pick(choices)
            fields.append((b.pick(names), json))
            return meaning
        }
        let success = field(["success"], flags)
        let sent = field(["email_sent", "emailSent"], flags)
        let named = field(["invoice_id", "invoiceId"], ids)
        // Other fields, valid JSON all (the oracle reads a valid answer).
        for _ in 0..<b.below(3) {
            let value: FuzzJSON = b.pick([.string(b.text()), .number(String(b.below(1000))), nil, true, [], ["x": 1]])
            fields.insert((b.pick(["message", "order_id", "comment", "data"]), value), at: 0)
        }
        let body = FuzzJSON.object(fields).bytes

        let read = try? StoreAnswers.emailAnswer(Data(body), invoiceId: id)
        var expected: Bool?
        if let success, let sent, let named, success != false, let sent, named == id { expected = sent }
        try require(
            read == expected, .emailAnswer,
            "read \(read.map(String.init) ?? "no proof"), expected \(expected.map(String.init) ?? "no proof"): "
                + String(decoding: body, as: UTF8.self))
    }
}
