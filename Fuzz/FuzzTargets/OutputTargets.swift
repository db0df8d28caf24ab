import FolioCLIOutput
import Foundation

/// The CLI's encoders on any text: what reaches a terminal holds no
/// character that acts on it; JSON parses back to the very text; a CSV
/// record splits back into its cells, none of which a spreadsheet would run.
enum OutputTargets {
    static func visibleText(_ b: inout FuzzBytes) throws(PropertyViolation) {
        let text = b.text(limit: 40)
        let shown = VisibleText.of(text)
        try require(
            !shown.unicodeScalars.contains(where: Oracle.isForbidden), .visibleText,
            "\(escaped(text)) shows as \(escaped(shown))")
        if !text.unicodeScalars.contains(where: Oracle.isForbidden) {
            try require(Oracle.same(shown, text), .visibleText, "\(escaped(text)) changed to \(escaped(shown))")
        }
        // Everything else arrives, in order.
        var kept = shown.unicodeScalars[...]
        for scalar in text.unicodeScalars where !Oracle.isForbidden(scalar) {
            guard let at = kept.firstIndex(of: scalar) else {
                throw PropertyViolation(target: "visibleText", what: "\(escaped(text)) lost U+\(String(scalar.value, radix: 16))")
            }
            kept = kept[kept.index(after: at)...]
        }
    }

    static func jsonText(_ b: inout FuzzBytes) throws(PropertyViolation) {
        let (value, expected) = document(&b, depth: 0)
        for pretty in [false, true] {
            let text = value.rendered(pretty: pretty)
            try require(
                !text.unicodeScalars.contains { Oracle.isForbidden($0) && !(pretty && $0 == "\n") }, .jsonText,
                "raw control or bidi character in \(escaped(text))")
            guard let parsed = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed) else {
                throw PropertyViolation(target: "jsonText", what: "does not parse: \(escaped(text))")
            }
            try require(same(parsed, expected), .jsonText, "\(escaped(text)) parses to something else")
        }
    }

    /// A `JSONText` and the value Foundation should read back from it.
    static func document(_ b: inout FuzzBytes, depth: Int) -> (JSONText, Any) {
        switch b.below(depth > 3 ? 5 : 8) {
        case 0: return (.null, NSNull())
        case 1:
            let flag = b.bool()
            return (.bool(flag), flag)
        case 2:
            let n = Int64(bitPattern: b.uint64())
            return (.int(n), n)
        case 3, 4:
            let s = b.text(limit: 30)
            return (.string(s), s)
        case 5:
            let items = (0..<b.below(4)).map { _ in document(&b, depth: depth + 1) }
            return (.array(items.map(\.0)), items.map(\.1))
        default:
            var pairs: [(String, JSONText)] = []
            var expected: [String: Any] = [:]
            for _ in 0..<b.below(4) {
                let key = b.text(limit: 8)
                guard !expected.keys.contains(key) else { continue }  // a Dictionary equates canonically equal keys
                let (value, read) = document(&b, depth: depth + 1)
                pairs.append((key, value))
                expected[key] = read
            }
            return (.fields(pairs), expected)
        }
    }

    /// Values compared as JSON sees them; strings scalar by scalar.
    static func same(_ a: Any, _ b: Any) -> Bool {
        switch (a, b) {
        case (is NSNull, is NSNull): return true
        case (let a as String, let b as String): return Oracle.same(a, b)
        case (let a as [Any], let b as [Any]): return a.count == b.count && zip(a, b).allSatisfy { same($0, $1) }
        case (let a as [String: Any], let b as [String: Any]):
            return a.count == b.count
                && b.allSatisfy { key, value in
                    a.first { Oracle.same($0.key, key) }.map { same($0.value, value) } ?? false
                }
        case (let a as NSNumber, let b as Bool): return a == NSNumber(value: b)
        case (let a as NSNumber, let b as Int64): return a.int64Value == b  // an NSDecimalNumber below Int64.max/2
        default: return false
        }
    }

    static func csv(_ b: inout FuzzBytes) throws(PropertyViolation) {
        let cells = (0..<(1 + b.below(6))).map { _ in b.below(3) == 0 ? b.decimalText() : b.text(limit: 12) }
        let numeric = Set((0..<cells.count).filter { _ in b.bool() })
        try checkCSV(cells, numeric: numeric, .csv)
    }

    /// `Output.csv(cells)` is one line that splits back into as many cells,
    /// each the cell as the terminal would show it, with a `'` before it
    /// exactly when a spreadsheet would otherwise run it as a formula.
    static func checkCSV(_ cells: [String], numeric: Set<Int>, _ target: FuzzTarget) throws(PropertyViolation) {
        let record = Output.csv(cells, numeric: numeric)
        try require(!record.unicodeScalars.contains(where: Oracle.isForbidden), target, "raw control in \(escaped(record))")
        guard let read = Oracle.csvCells(record), read.count == cells.count else {
            throw PropertyViolation(target: "\(target)", what: "\(escaped(record)) does not split into \(cells.count) cells")
        }
        for (i, (cell, raw)) in zip(read, cells).enumerated() {
            let shown = VisibleText.of(raw)
            let formula = shown.unicodeScalars.first.map { "=+-@\t\r".unicodeScalars.contains($0) } ?? false
            let asNumber = numeric.contains(i) && Oracle.isPlainNumber(shown)
            let guarded = formula && !asNumber
            try require(
                Oracle.same(cell, guarded ? "'" + shown : shown), target,
                "cell \(escaped(raw)) written as \(escaped(cell))")
        }
    }

    static func escaped(_ text: String) -> String {
        text.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F ? String($0) : "\\u{\(String($0.value, radix: 16))}" }
            .joined()
    }
}
