import FolioCore
import FolioTerminal
import Foundation

/// The quantity picker of create and refund: the same keys and the same
/// rule (`QuantityRule`) whether a quantity is invoiced or refunded. A
/// quantity above what is left, a fraction of an item sold whole, a fifth
/// decimal: refused on the spot, the old quantity kept, the reason said.
struct QuantityPicker: Sendable, Equatable {
    struct Line: Sendable, Equatable {
        let id: Int64
        let sku: String
        /// The most that may be chosen: what is left to invoice, or to refund.
        let left: Decimal
        let isDecimal: Bool
    }

    enum Action: Sendable, Equatable {
        case next, previous, more, less, allOfItem, allItems, noItems, type, erase
    }

    /// What a key did: nothing, a quantity taken, or a refusal to say.
    enum Outcome: Sendable, Equatable {
        case unchanged, taken, refused(String)
    }

    let lines: [Line]
    /// "invoice" or "refund": the word of the refusals ("only 2 left to refund").
    let verb: String
    /// By line id.
    private(set) var quantities: [Int64: Decimal]
    private(set) var selected: Int
    /// Digits typed for the selected line, while typing.
    private(set) var typed: String?

    /// Starts with everything left chosen (`all`), or nothing; on the first line with something left.
    init(lines: [Line], verb: String, all: Bool) {
        self.lines = lines
        self.verb = verb
        quantities = Dictionary(lines.map { ($0.id, all ? $0.left : 0) }, uniquingKeysWith: { first, _ in first })
        selected = lines.firstIndex { $0.left > 0 } ?? 0
    }

    /// Lines that can still take a quantity (the others are dimmed and skipped).
    func isOpen(_ index: Int) -> Bool { lines.indices.contains(index) && lines[index].left > 0 }
    var hasOpenLines: Bool { lines.contains { $0.left > 0 } }
    var selectedLine: Line? { lines.indices.contains(selected) ? lines[selected] : nil }
    func quantity(_ id: Int64) -> Decimal { quantities[id] ?? 0 }

    /// The quantity column: what is typed (with a cursor) on the selected line, else the quantity.
    func shown(_ index: Int) -> String {
        if index == selected, let typed { return typed + "_" }
        return lines.indices.contains(index) ? Document.quantity(quantity(lines[index].id)) : ""
    }

    func problem(_ qty: Decimal, _ line: Line) -> String? {
        QuantityRule.problem(qty, sku: line.sku, left: line.left, decimal: line.isDecimal, verb: verb)
    }

    /// The keys, worded for `verb` ("invoice", "refund"); `allNote` says what `A` means on this screen.
    static func bindings(verb: String, allNote: String) -> [Binding<Action>] {
        [
            Binding([.down, .character("j")], .next, "next item (items with nothing left are skipped)", hint: "item", hintKeys: "↑↓"),
            Binding([.up, .character("k")], .previous, "previous item"),
            Binding([.right, .character("+")], .more, "one more", hint: "step", hintKeys: "←→ -+"),
            Binding([.left, .character("-")], .less, "one less"),
            Binding(
                (0...9).map { .character(Character(String($0))) } + [.character(".")], .type,
                "type the quantity (. only on items sold in fractions; more than is left to \(verb) is refused on the spot, with the reason); 0 is none of this item",
                hint: "type", hintKeys: "0-9"),
            Binding([.backspace], .erase, "erase the last digit typed"),
            Binding([.character("a")], .allOfItem, "all that is left to \(verb) of this item", hint: "all", hintKeys: "a/A"),
            Binding([.character("A")], .allItems, "all that is left to \(verb) of every item (\(allNote))"),
            Binding([.character("x")], .noItems, "none of every item", hint: "none", hintKeys: "0/x"),
        ]
    }

    /// One key of the picker; `key` is the key pressed (the digit typed).
    mutating func apply(_ action: Action, key: Key?) -> Outcome {
        guard let line = selectedLine else { return .unchanged }
        let current = quantity(line.id)
        switch action {
        case .next, .previous:
            move(action == .next ? 1 : -1)
            return .unchanged
        case .more:
            typed = nil
            return set(current + 1 > line.left && line.isDecimal ? line.left : current + 1, line)
        case .less:
            typed = nil
            return set(max(0, current - 1), line)
        case .allOfItem:
            typed = nil
            return set(line.left, line)
        case .noItems, .allItems:
            typed = nil
            for l in lines { quantities[l.id] = action == .allItems ? max(0, l.left) : 0 }
            return .taken
        case .erase:
            guard var digits = typed, !digits.isEmpty else { return .unchanged }
            digits.removeLast()
            typed = digits
            return set(Self.number(digits.isEmpty ? "0" : digits) ?? 0, line)
        case .type:
            guard case .character(let c)? = key else { return .unchanged }
            if c == ".", !line.isDecimal { return .refused("\(line.sku): whole units only") }
            if c == ".", typed?.contains(".") == true { return .unchanged }
            let digits = (typed ?? "") + String(c)
            guard digits.count <= 17 else { return .unchanged }  // twelve whole digits, a point, four decimals
            guard let qty = Self.number(digits == "." ? "0." : digits) else { return .unchanged }
            // Refused on the spot: the typed digits stay as they were.
            if let why = problem(qty, line) { return .refused(why) }
            typed = digits
            return set(qty, line)
        }
    }

    /// Ends typing (the focus left the picker): the quantity stays, the cursor goes.
    mutating func endTyping() { typed = nil }

    private mutating func set(_ qty: Decimal, _ line: Line) -> Outcome {
        if let why = problem(qty, line) { return .refused(why) }
        quantities[line.id] = qty
        return .taken
    }

    private mutating func move(_ step: Int) {
        var index = selected
        repeat { index += step } while lines.indices.contains(index) && !isOpen(index)
        if lines.indices.contains(index) { selected = index }
        typed = nil
    }

    private static func number(_ digits: String) -> Decimal? { Decimal(string: digits, locale: Locale(identifier: "en_US_POSIX")) }
}
