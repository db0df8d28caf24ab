import FolioServer
import FolioTerminal
import Foundation
import GRDB
import Testing

/// A store's text reaches the terminal as text: names, SKUs, addresses and
/// error messages with escape sequences, C1 controls and bidi overrides in
/// them are shown as visible escapes in every format the CLI writes, the
/// tables stay aligned, JSON keeps the text exactly, and CSV cannot run a formula.
@Suite struct HostileTextTests {
    /// Erases the line and writes a fake row over it; sets the clipboard (OSC 52);
    /// CSI as one C1 byte; NEL; DEL; a C0 control; a right-to-left override; an isolate; a mark.
    static let name =
        "Eve\u{1B}[2K\r100000001  paid \u{1B}]52;c;ZXZpbA==\u{07}\u{9B}31m\u{85}\u{7F}\u{01}"
        + "\u{202E}01.0\u{202C}\u{2066}x\u{2069}\u{200F}\tend"
    static let sku = "SKU\u{1B}[8m\u{202D}"
    static let street = "Main St\n\u{1B}]0;pwned\u{07}"

    /// What no terminal should receive from the CLI: C0 but newline, DEL, C1, and the
    /// bidi controls. Written out here rather than taken from the code under test.
    static func hidden(_ text: String) -> [String] {
        text.unicodeScalars.filter { s in
            switch s.value {
            case 0x0A: return false
            case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: return true
            default: return false
            }
        }.map { String(format: "U+%04X", $0.value) }
    }

    /// The newest invoice (the first row of a default listing) with hostile text
    /// in its bill-to name, its customer, its first item and its billing address.
    static func poison(_ server: RunningServer) async throws -> (number: String, entity: Int64) {
        try await server.database.write { db in
            let row = try #require(
                try Row.fetchOne(db, sql: "SELECT entity_id, increment_id, order_id FROM invoices ORDER BY entity_id DESC LIMIT 1"))
            let entity: Int64 = row["entity_id"]
            let order: Int64 = row["order_id"]
            try db.execute(
                sql: "UPDATE invoices SET billing_name = ?, customer_email = ? WHERE entity_id = ?",
                arguments: [name, "eve\u{1B}[5m@example.com", entity])
            try db.execute(sql: "UPDATE orders SET customer_name = ? WHERE entity_id = ?", arguments: [name, order])
            try db.execute(sql: "UPDATE invoice_items SET sku = ?, name = ? WHERE invoice_id = ?", arguments: [sku, name, entity])
            try db.execute(
                sql: "UPDATE order_addresses SET street = ?, city = ? WHERE order_id = ?",
                arguments: [street, "\u{9D}City", order])
            return (row["increment_id"], entity)
        }
    }

    /// The text from display column `column` of `line` on, measured as a terminal does.
    static func from(column: Int, of line: Substring) -> Substring {
        var used = 0
        var index = line.startIndex
        while index < line.endIndex, used < column {
            used += TextWidth.of(line[index])
            index = line.index(after: index)
        }
        return line[index...]
    }

    @Test func theTableShowsEscapesAndStaysAligned() async throws {
        try await CLITests.withServer(orders: 20) { server in
            let (number, _) = try await Self.poison(server)
            let run = try await CLITests.folio(["invoices", "list", "--limit", "5"], baseURL: server.baseURL)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(Self.hidden(run.stdout).isEmpty, "raw controls reached the terminal: \(Self.hidden(run.stdout))")
            #expect(
                run.stdout.contains(
                    #"Eve\x1b[2K\r100000001  paid \x1b]52;c;ZXZpbA==\x07\x9b31m\x85\x7f\x01\u202e01.0\u202c\u2066x\u2069\u200f\tend"#))
            let lines = run.stdout.split(separator: "\n")
            #expect(lines.count == 7, "one line per row: a newline in a name cannot make a row")
            let header = try #require(lines.first)
            let email = TextWidth.of(header[..<header.range(of: "EMAIL")!.lowerBound])
            let amount = TextWidth.of(header[..<header.range(of: "GRAND TOTAL")!.upperBound])
            for row in lines.dropFirst().dropLast() {
                let tail = Self.from(column: email, of: row)
                #expect(tail.hasPrefix("sent") || tail.hasPrefix("not sent"), "EMAIL column moved in: \(row)")
                #expect(Self.from(column: amount, of: row).hasPrefix("  "), "GRAND TOTAL column moved in: \(row)")
            }
            #expect(lines[1].hasPrefix(number))
        }
    }

    @Test func detailTextShowsEscapesAndItsTablesStayAligned() async throws {
        try await CLITests.withServer(orders: 20) { server in
            let (number, _) = try await Self.poison(server)
            let run = try await CLITests.folio(["invoices", "show", number], baseURL: server.baseURL)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(Self.hidden(run.stdout).isEmpty, "raw controls reached the terminal: \(Self.hidden(run.stdout))")
            for visible in [#"customer Eve\x1b[2K\r100000001"#, #"SKU\x1b[8m\u202d"#, #"Main St\n\x1b]0;pwned\x07"#, #"\x9dCity"#] {
                #expect(run.stdout.contains(visible), "\(visible) missing")
            }
            // The items table: every line of it exactly as wide as its header, since its last column is right-aligned.
            let blocks = run.stdout.components(separatedBy: "\n\n")
            let items = try #require(blocks.first { $0.hasPrefix("SKU") }).split(separator: "\n")
            #expect(items.count >= 2)
            #expect(Set(items.map { TextWidth.of($0) }).count == 1, "misaligned: \(items)")
        }
    }

    @Test func jsonKeepsTheTextExactlyAndEscapesWhatCouldActOnATerminal() async throws {
        try await CLITests.withServer(orders: 20) { server in
            let (number, entity) = try await Self.poison(server)
            let list = try await CLITests.folio(["invoices", "list", "--limit", "5", "--json"], baseURL: server.baseURL)
            let show = try await CLITests.folio(["invoices", "show", number, "--json"], baseURL: server.baseURL)
            let jsonl = try await CLITests.folio(["invoices", "export", "--format", "jsonl"], baseURL: server.baseURL)
            for run in [list, show, jsonl] {
                #expect(run.status == 0, "\(run.stderr)")
                #expect(Self.hidden(run.stdout).isEmpty, "raw controls in JSON: \(Self.hidden(run.stdout))")
            }
            #expect(list.stdout.contains(#"\u001b[2K\r100000001"#) && list.stdout.contains(#"\u009b31m\u0085\u007f\u0001\u202e"#))
            let rows =
                try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any])["invoices"]
                as? [[String: Any]]
            let row = try #require(rows?.first { ($0["entity_id"] as? Int).map(Int64.init) == entity })
            #expect(row["billing_name"] as? String == Self.name, "escaped for the terminal, yet the same text to a parser")
            let detail = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
            #expect(detail["customer_name"] as? String == Self.name)
            #expect((detail["items"] as? [[String: Any]])?.first?["sku"] as? String == Self.sku)
            #expect((detail["billing_address"] as? [String: Any])?["street"] as? String == Self.street)
            let line = try #require(jsonl.stdout.split(separator: "\n").first { $0.contains(#""entity_id":\#(entity),"#) })
            #expect((try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["billing_name"] as? String == Self.name)
        }
    }

    @Test func csvIsSafeToCatAndToOpenInASpreadsheet() async throws {
        try await CLITests.withServer(orders: 20) { server in
            let (_, entity) = try await Self.poison(server)
            let formulas = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+2", "-2+3", "@SUM(A1:A9)", "\tTAB", "\rCR"]
            let guarded = try await server.database.write { db in
                let ids = try Int64.fetchAll(
                    db, sql: "SELECT entity_id FROM invoices WHERE entity_id < ? ORDER BY entity_id DESC LIMIT 6",
                    arguments: [entity])
                for (id, formula) in zip(ids, formulas) {
                    try db.execute(sql: "UPDATE invoices SET billing_name = ? WHERE entity_id = ?", arguments: [formula, id])
                }
                // A credit-like negative amount, still a number in a money column.
                try db.execute(
                    sql: """
                        UPDATE invoices SET grand_total = -2500, order_currency_code = 'USD', increment_id = '-100' WHERE entity_id = ?
                        """, arguments: [ids[1]])
                return ids
            }
            let list = try await CLITests.folio(["invoices", "list", "--limit", "10", "--csv"], baseURL: server.baseURL)
            let export = try await CLITests.folio(["invoices", "export", "--format", "csv"], baseURL: server.baseURL)
            for run in [list, export] {
                #expect(run.status == 0, "\(run.stderr)")
                #expect(Self.hidden(run.stdout).isEmpty, "raw controls in CSV: \(Self.hidden(run.stdout))")
                let records = run.stdout.split(separator: "\n")
                #expect(records.contains { $0.contains(#"Eve\x1b[2K\r100000001  paid \x1b]52;c;ZXZpbA==\x07"#) })
                #expect(
                    records.contains { $0.contains(#""'=HYPERLINK(""http://evil.example"",""x"")""#) }, "quoted, quotes doubled, guarded")
                for cell in ["'+1+2", "'-2+3", "'@SUM(A1:A9)", #"\tTAB"#, #"\rCR"#] {
                    #expect(records.contains { $0.split(separator: ",").contains(Substring(cell)) }, "\(cell) missing")
                }
                let negative = try #require(records.first { $0.hasPrefix("'-100,") }, "a text cell starting with - is guarded")
                #expect(negative.split(separator: ",")[6] == "-25.0000", "a negative amount stays a number, as the store sent it")
                // Nothing else in the file starts a cell with a formula character.
                for record in records {
                    for cell in record.split(separator: ",", omittingEmptySubsequences: false) {
                        let text = cell.hasPrefix("\"") ? cell.dropFirst() : cell
                        #expect(!(text.first.map { "=+@".contains($0) } ?? false), "unguarded cell \(cell)")
                    }
                }
            }
            #expect(guarded.count == 6)
        }
    }
}
