import FolioServer
import FolioTerminal
import FolioTestSupport
import Foundation
import Testing

/// The list, an invoice and the create screen in every terminal a clerk may
/// come through: five terminal types × two locales × three sizes × NO_COLOR
/// or not, 60 runs of the real binary in tmux against the reference server.
///
/// Every screen read back must be clean text (no escape sequence, no control
/// character, no mojibake), fit the window, and carry only characters the
/// terminal can show: ASCII for a C locale or a vt100, Latin-1 and lines on
/// the Linux console. The invoice number, the customers (one Latin, one CJK) and
/// the totals must be there in that repertoire.
///
/// `FOLIO_FIDELITY_REPORT=docs/terminal-fidelity.md swift test --filter
/// FidelityMatrix` also writes what each run showed to that file.
@Suite(.needsTmux) struct FidelityMatrixTests {
    struct Cell: CustomStringConvertible, Sendable {
        let term: String, locale: String, width: Int, height: Int, noColor: Bool

        static let all: [Cell] = ["xterm-256color", "tmux-256color", "screen", "linux", "vt100"].flatMap { term in
            ["C.UTF-8", "C"].flatMap { locale in
                [(80, 24), (40, 12), (250, 70)].flatMap { size in
                    [false, true].map { Cell(term: term, locale: locale, width: size.0, height: size.1, noColor: $0) }
                }
            }
        }

        var description: String { "TERM=\(term) \(locale) \(width)×\(height)\(noColor ? " NO_COLOR" : "")" }

        /// What this cell should show, by the rules README gives, written out
        /// here rather than asked of Folio's own `Repertoire`.
        var expected: Repertoire {
            if locale == "C" || term == "vt100" { return .ascii }
            return term == "linux" ? .console : .unicode
        }

        /// Whether colour may appear: the terminal has it and NO_COLOR is unset.
        var colours: Bool { !noColor && term != "vt100" }

        var environment: [String: String] {
            var env = ["TERM": term, "LANG": locale, "LC_ALL": locale]
            if noColor { env["NO_COLOR"] = "1" }
            return env
        }
    }

    /// What one run showed, for the report.
    struct Seen: Sendable {
        var lines = "", colour = "", total = "", latin = "", cjk = "", failures: [String] = []
    }

    @Test func everyTerminalLocaleSizeAndColourSetting() async throws {
        try await CLITests.withServer { server in
            let cjk = try #require(await Self.invoiceBilledInCJK(server))
            let admin = try await SandboxClient(baseURL: server.baseURL, token: CLITests.token).json("/api/admin/invoices/456")
            let facts = Facts(
                grand: try #require(admin["formattedGrandTotal"] as? String),
                base: try #require(admin["formattedBaseGrandTotal"] as? String),
                cjkInvoice: cjk.number, cjkName: cjk.name)
            var results: [(Cell, Seen)] = []
            // Three at a time: each is its own tmux server and folio process.
            try await withThrowingTaskGroup(of: (Cell, Seen).self) { group in
                var pending = Cell.all[...]
                for _ in 0..<3 {
                    if let cell = pending.popFirst() { group.addTask { (cell, await Self.run(cell, server: server, facts: facts)) } }
                }
                while let result = try await group.next() {
                    results.append(result)
                    if let cell = pending.popFirst() { group.addTask { (cell, await Self.run(cell, server: server, facts: facts)) } }
                }
            }
            #expect(results.count == Cell.all.count)
            for (cell, seen) in results {
                for failure in seen.failures { Issue.record("\(cell): \(failure)") }
            }
            if let path = ProcessInfo.processInfo.environment["FOLIO_FIDELITY_REPORT"] {
                try Self.report(results).write(toFile: path, atomically: true, encoding: .utf8)
            }
        }
    }

    /// What the server holds: invoice 456's grand total in the order and
    /// base currencies as it formats them, and an invoice billed to a name
    /// in CJK (wide) characters.
    struct Facts: Sendable { let grand: String, base: String, cjkInvoice: String, cjkName: String }

    /// One cell: list, help, two searches, two invoices, create, quit.
    static func run(_ cell: Cell, server: RunningServer, facts: Facts) async -> Seen {
        var seen = Seen()
        do {
            try await TmuxSession.run(server: server, width: cell.width, height: cell.height, environment: cell.environment) { tui in
                try await steps(cell, tui, facts, &seen)
            }
        } catch {
            seen.failures.append("stopped: \(error)")
        }
        return seen
    }

    static func steps(_ cell: Cell, _ tui: TmuxSession, _ facts: Facts, _ seen: inout Seen) async throws {
        // € is outside the console's and ASCII's repertoire: its look-alike is E.
        func shown(_ amount: String) -> String { cell.expected == .unicode ? amount : amount.replacingOccurrences(of: "€", with: "E") }
        let grand = shown(facts.grand)
        let base = shown(facts.base)
        // The list.
        var screen = try await tui.waitFor("the list's rows") { $0.split(separator: "\n").contains { $0.hasPrefix("1000") } }
        seen.failures += check(screen, cell)
        let coloured = try await tui.screen(colours: true)
        let sgr = Self.sgrParameters(coloured)
        let hasColour = sgr.contains { $0.contains(where: Self.isColour) }
        seen.colour = hasColour ? "colour" : sgr.contains { $0.contains(7) } ? "reverse" : "none"
        if hasColour != cell.colours { seen.failures.append("colour \(seen.colour), expected \(cell.colours ? "colour" : "none")") }
        if !cell.colours && seen.colour != "reverse" { seen.failures.append("the selection is not in reverse video") }

        // A box: the help overlay.
        try await tui.keys("?")
        // Waits for the whole box: a capture may land in the middle of a paint.
        screen = try await tui.waitFor("the help box") { $0.contains("keys") && Self.box(in: $0) != nil }
        seen.failures += check(screen, cell)
        seen.lines = Self.box(in: screen) ?? "none"
        if seen.lines != (cell.expected == .ascii ? "ASCII" : "lines") { seen.failures.append("box drawn as \(seen.lines)\n\(screen)") }
        try await tui.keys("Escape")
        try await tui.waitFor("the help closed") { !$0.contains("keys") }

        // The invoice found, its total legible on its row.
        try await tui.search("100000045")
        // Its only row: before the search lands, the list (newest first) may start with it too.
        screen = try await tui.waitFor("invoice 100000045 with its total") { screen in
            let rows = TmuxSession.invoiceRows(screen)
            return rows.count == 1 && rows[0].hasPrefix("100000045") && rows[0].contains(grand)
        }
        seen.failures += check(screen, cell)
        seen.total = grand

        // The detail: the customer, then the totals at the bottom.
        try await tui.keys("Enter")
        screen = try await tui.waitFor("the detail") { $0.contains("Invoice 100000045") && $0.contains("Customer ") }
        seen.failures += check(screen, cell)
        let latin = cell.expected == .ascii ? "Zoe Fasbender" : "Zoë Faßbender"
        seen.latin = screen.contains("Customer \(latin)") ? latin : "not shown"
        if seen.latin != latin { seen.failures.append("the customer is not shown as \(latin)\n\(screen)") }
        // The totals sit above the order's history: to the bottom, then up a line at a time until they show.
        func totalsShown(_ screen: String) -> Bool {
            screen.split(separator: "\n").contains { $0.contains("Grand total") && $0.contains(grand) && $0.contains(base) }
        }
        try await tui.keys("G")
        var shown = try await tui.waitFor("the bottom of the invoice") { $0.contains("History") || totalsShown($0) }
        for _ in 0..<60 where !totalsShown(shown) {
            try await tui.keys("k")
            let before = shown
            shown = try await tui.waitFor("a line up") { $0 != before || totalsShown($0) }
        }
        screen = try await tui.waitFor("the grand total") { totalsShown($0) }
        seen.failures += check(screen, cell)

        // A customer in CJK: itself, or ?? in each of its columns.
        try await tui.keys("Escape")
        try await tui.waitFor("the list again") { !$0.contains("Invoice 100000045") }
        try await tui.search(facts.cjkInvoice)
        try await tui.waitFor("invoice \(facts.cjkInvoice) listed") { screen in
            let rows = TmuxSession.invoiceRows(screen)
            return rows.count == 1 && rows[0].hasPrefix(facts.cjkInvoice)
        }
        try await tui.keys("Enter")
        let cjk = cell.expected == .unicode ? facts.cjkName : facts.cjkName.map { $0.isASCII ? String($0) : "??" }.joined()
        screen = try await tui.waitFor("the CJK customer") { $0.contains("Invoice \(facts.cjkInvoice)") && $0.contains("Customer ") }
        seen.failures += check(screen, cell)
        seen.cjk = screen.contains("Customer \(cjk)") ? cjk : "not shown"
        if seen.cjk != cjk { seen.failures.append("the customer is not shown as \(cjk)\n\(screen)") }

        // The create screen on order 100000123.
        try await tui.keys("Escape")
        try await tui.waitFor("the list again") { !$0.contains("Invoice \(facts.cjkInvoice)") }
        try await tui.keys("Escape")
        try await tui.openCreate(order: "100000123")
        screen = try await tui.screen()
        seen.failures += check(screen, cell)
        try await tui.keys("Escape")
        try await tui.waitFor("the list after create") { !$0.contains("To invoice") && $0.contains("1000") }
        try await tui.keys("q")
        let status = try await tui.exitStatus()
        if status != 0 { seen.failures.append("exit status \(status.map(String.init) ?? "none")") }
        try await tui.expectTerminalRestored()
    }

    /// How a whole box on `screen` is drawn: "lines", "ASCII", or nil when none is complete.
    static func box(in screen: String) -> String? {
        func rows(_ pattern: String) -> Int {
            screen.split(separator: "\n").filter { $0.range(of: pattern, options: .regularExpression) != nil }.count
        }
        if rows("┌─.*─┐") >= 1 && rows("└─.*─┘") >= 1 { return "lines" }
        let unicodeLines = screen.unicodeScalars.contains { (0x2500...0x257F).contains($0.value) }
        if !unicodeLines && rows(#"\+-.*-\+"#) >= 2 { return "ASCII" }
        return nil
    }

    /// The first invoice whose billing name is CJK (and ASCII spaces), if any.
    static func invoiceBilledInCJK(_ server: RunningServer) async throws -> (number: String, name: String)? {
        let store = SandboxClient(baseURL: server.baseURL, token: CLITests.token)
        for page in 1...20 {
            let invoices = try await store.invoices("limit=100&page=\(page)")
            if invoices.isEmpty { return nil }
            for invoice in invoices {
                guard let name = invoice["billing_name"] as? String, let number = invoice["increment_id"] as? String else { continue }
                if name.contains(where: { TextWidth.of($0) == 2 }), name.allSatisfy({ $0.isASCII || TextWidth.of($0) == 2 }) {
                    return (number, name)
                }
            }
        }
        return nil
    }

    /// Problems with one screen as read back: stray sequences, control
    /// characters, mojibake, characters outside the repertoire, overflow.
    static func check(_ screen: String, _ cell: Cell) -> [String] {
        var problems: [String] = []
        if screen.contains("\u{1B}") || screen.contains("^[") { problems.append("an escape sequence in the text") }
        if screen.range(of: #"\[[0-9;?]+[A-Za-z]"#, options: .regularExpression) != nil { problems.append("a stray CSI in the text") }
        if screen.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" }) { problems.append("a control character") }
        if screen.contains("\u{FFFD}") || screen.contains("Ã") || screen.contains("â€") { problems.append("mojibake") }
        if let odd = screen.first(where: { $0 != "\n" && !cell.expected.shows($0) }) {
            problems.append("“\(odd)” is outside the \(cell.expected) repertoire")
        }
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
        if let long = lines.first(where: { TextWidth.of($0) > cell.width }) { problems.append("a line wider than \(cell.width): \(long)") }
        if lines.count > cell.height + 1 { problems.append("\(lines.count) lines for \(cell.height) rows") }
        return problems.map { "\($0)\n\(screen)" }
    }

    /// The parameters of every SGR sequence in `capture-pane -e` output.
    /// (A colour's own numbers, as in 38;5;7, count too: only used where no
    /// colour was seen, or to find one.)
    static func sgrParameters(_ screen: String) -> [[Int]] {
        screen.components(separatedBy: "\u{1B}[").dropFirst().compactMap { part in
            guard let end = part.firstIndex(of: "m"), part[..<end].allSatisfy({ $0.isNumber || $0 == ";" }) else { return nil }
            return part[..<end].split(separator: ";").compactMap { Int($0) }
        }
    }

    /// A parameter that sets a foreground or background colour.
    static func isColour(_ parameter: Int) -> Bool {
        [38, 48].contains(parameter) || (30...37).contains(parameter) || (40...47).contains(parameter)
            || (90...97).contains(parameter) || (100...107).contains(parameter)
    }

    static func report(_ results: [(Cell, Seen)]) -> String {
        let order = Cell.all.map(\.description)
        let rows = results.sorted { order.firstIndex(of: $0.0.description)! < order.firstIndex(of: $1.0.description)! }
        var text = """
            # Terminal fidelity

            What Folio showed in each terminal of the fidelity matrix, read back
            from tmux by `Tests/CLITests/FidelityMatrixTests.swift`: the list, the
            help box, a search, invoice 100000045 top and bottom, an invoice billed
            in CJK, the create screen of order 100000123, and quit (status 0, tty
            modes and the main screen restored). Regenerate with:

                FOLIO_FIDELITY_REPORT=$PWD/docs/terminal-fidelity.md swift test --filter FidelityMatrix

            The rules (`Sources/FolioTerminal/Repertoire.swift`): a locale that is
            not UTF-8, or a pre-Unicode terminal type (vt52…vt520, ansi, dumb), gets
            ASCII; the Linux console gets Latin-1, lines and arrows; everything else
            gets Unicode. A character outside that is sent as an ASCII look-alike in
            its own columns (é → e, € → E, a wide 山 → `??`). NO_COLOR, or a
            terminal without colours, gives the monochrome theme, whose selection is
            reverse video. A TERM without a terminfo entry is tested apart
            (`anUnknownTermFallsBackWithANote`).

            Every screen read back is checked for escape sequences, control
            characters, mojibake, characters outside the terminal's repertoire, and
            lines wider than the window.

            - **Lines**: how the help box was drawn (Unicode lines or ASCII `+-|`).
            - **Colour**: SGR colours seen, or only reverse video for the selection.
            - **Total**: the grand total of invoice 100000045, on its list row and
              on the detail's totals line (the server's own formatted amount).
            - **Customers**: invoice 100000045's customer, and one billed in CJK,
              with `??` in each column of a character the terminal cannot show
              (so the columns stay aligned).

            | TERM | Locale | Size | NO_COLOR | Lines | Colour | Total | Customers | Result |
            |---|---|---|---|---|---|---|---|---|

            """
        for (cell, seen) in rows {
            text +=
                "| \(cell.term) | \(cell.locale) | \(cell.width)×\(cell.height) | \(cell.noColor ? "set" : "—") | \(seen.lines) "
                + "| \(seen.colour) | \(seen.total) | \(seen.latin), \(seen.cjk) | \(seen.failures.isEmpty ? "pass" : "FAIL") |\n"
        }
        return text
    }
}
