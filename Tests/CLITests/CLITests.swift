import FolioServer
import FolioTestSupport
import Foundation
import GRDB
import Testing

/// `folio invoices …` and `folio orders …`, the real binary against the real
/// server: output, exit codes, and a token that never shows.
@Suite struct CLITests {
    static let token = "cli-secret-token-4f9a"

    typealias Run = Shell.Run

    /// The built `folio`, beside this test bundle.
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("folio")
    }

    /// Runs the binary without blocking Swift's cooperative threads, which the
    /// in-process server needs to answer it.
    static func folio(
        _ arguments: [String], baseURL: String, token: String = CLITests.token,
        environment: [String: String]? = nil
    ) async throws -> Run {
        try await Shell.capture(
            binary.path, arguments,
            environment: environment ?? [
                "FOLIO_BASE_URL": baseURL, "FOLIO_TOKEN": token, "XDG_CONFIG_HOME": "/nonexistent", "XDG_STATE_HOME": stateHome,
                "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
            ])
    }

    /// The write journal's folder for the runs of one test: its own, never the user's.
    @TaskLocal static var stateHome = FileManager.default.temporaryDirectory
        .appendingPathComponent("folio-cli-state-\(getpid())").path

    static func withServer(orders: Int = 150, _ body: (RunningServer) async throws -> Void) async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("folio-cli-state-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        try await $stateHome.withValue(state) {
            try await TestServer.with(orders: orders, tokens: [token], body)
        }
    }

    static func count(_ server: RunningServer, _ sql: String) async throws -> Int {
        try await server.database.read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
    }

    @Test func withoutConfigurationFolioSaysHowAndSuggestsTheDemo() async throws {
        let run = try await CLITests.folio(
            [], baseURL: "",
            environment: [
                "XDG_CONFIG_HOME": "/nonexistent", "HOME": "/nonexistent", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
            ])
        #expect(run.status == 2)
        #expect(run.stderr.contains("no store configured"))
        #expect(run.stderr.contains("FOLIO_BASE_URL"))
        #expect(run.stderr.contains("folio demo"))
        #expect(run.stdout.isEmpty)
    }

    @Test func theTerminalInterfaceNeedsATerminal() async throws {
        try await CLITests.withServer(orders: 5) { server in
            let run = try await CLITests.folio([], baseURL: server.baseURL)
            #expect(run.status != 0)
            #expect(run.stderr.contains("needs a terminal"))
            #expect(run.stderr.contains("folio invoices"))
        }
    }

    @Test func helpListsEveryCommand() async throws {
        let run = try await CLITests.folio(["--help"], baseURL: "")
        #expect(run.status == 0)
        for command in ["demo", "invoices", "orders", "journal", "serve", "--theme", "--profile", "--timeout"] {
            #expect(run.stdout.contains(command), "\(command) missing from --help")
        }
    }

    @Test func listAsTableJSONAndCSV() async throws {
        try await Self.withServer { server in
            let table = try await Self.folio(["invoices", "list", "--limit", "5"], baseURL: server.baseURL)
            #expect(table.status == 0, "\(table.stderr)")
            let lines = table.stdout.split(separator: "\n")
            #expect(lines.first?.hasPrefix("INVOICE") == true && lines.count == 7)
            let json = try await Self.folio(
                ["invoices", "list", "--state", "paid", "--sort", "grand_total", "--json"], baseURL: server.baseURL)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let rows = try #require(object["invoices"] as? [[String: Any]])
            #expect(rows.count == 20 && rows.allSatisfy { $0["state"] as? String == "paid" })
            #expect(
                rows.allSatisfy { ($0["grand_total"] as? String)?.contains(".") == true || $0["currency"] as? String == "JPY" },
                "money as exact decimal strings")
            let csv = try await Self.folio(["invoices", "list", "--csv", "--limit", "3"], baseURL: server.baseURL)
            #expect(csv.stdout.split(separator: "\n").count == 4)
        }
    }

    @Test func exitCodesMeanSomething() async throws {
        try await Self.withServer { server in
            let usage = try await Self.folio(["invoices", "list", "--state", "lost"], baseURL: server.baseURL)
            #expect(usage.status == 2 && usage.stderr == "folio: --state takes open, paid or canceled, not lost\n")
            let missing = try await Self.folio(["invoices", "show", "999999999"], baseURL: server.baseURL)
            #expect(missing.status == 3 && missing.stderr.contains("invoice 999999999 not found"))
            let auth = try await Self.folio(["invoices", "list"], baseURL: server.baseURL, token: "nope-\(Self.token)")
            #expect(auth.status == 4 && auth.stderr.contains("token invalid or expired"))
            #expect(!auth.stderr.contains(Self.token) && !auth.stdout.contains(Self.token), "the token is never printed")
            let gateway = try await Self.folio(
                ["invoices", "create", "--order", "100000123", "--capture", "online"], baseURL: server.baseURL)
            #expect(gateway.status == 5 && gateway.stderr.contains("Payment gateway error"))
            let tooMany = try await Self.folio(
                ["invoices", "create", "--order", "100000123", "--item", "PRODUCT-001=9"], baseURL: server.baseURL)
            #expect(tooMany.status == 2 && tooMany.stderr == "folio: PRODUCT-001: only 3 left to invoice\n")
            let down = try await Self.folio(["invoices", "list"], baseURL: "http://127.0.0.1:1")
            #expect(down.status == 6 && down.stderr.contains("cannot reach 127.0.0.1"))
            let noConfig = try await Self.folio(["invoices", "list"], baseURL: "")
            #expect(noConfig.status == 2 && noConfig.stderr.contains("folio demo"))
        }
    }

    @Test func createDryRunThenForRealThenEmail() async throws {
        try await Self.withServer { server in
            let before = try await Self.count(server, "SELECT COUNT(*) FROM invoices")
            let dry = try await Self.folio(
                [
                    "invoices", "create", "--order", "100000123", "--item", "PRODUCT-001=2",
                    "--item", "id=10=1", "--capture", "no_capture", "--comment", "Invoiced via Folio", "--dry-run",
                ],
                baseURL: server.baseURL)
            #expect(dry.status == 0, "\(dry.stderr)")
            #expect(dry.stdout.contains("dry run — nothing sent") && dry.stdout.contains("\"capture\":\"no_capture\""))
            #expect(try await Self.count(server, "SELECT COUNT(*) FROM invoices") == before)

            let real = try await Self.folio(
                ["invoices", "create", "--order", "100000123", "--item", "PRODUCT-001=2", "--json"],
                baseURL: server.baseURL)
            #expect(real.status == 0, "\(real.stderr)")
            let created = try #require(try JSONSerialization.jsonObject(with: Data(real.stdout.utf8)) as? [String: Any])
            let number = try #require((created["invoice"] as? [String: Any])?["increment_id"] as? String)
            #expect(created["reconciled"] as? Bool == false)
            #expect(try await Self.count(server, "SELECT COUNT(*) FROM invoices") == before + 1)
            #expect(try await Self.count(server, "SELECT qty_invoiced FROM order_items WHERE item_id = 11") == 20_000)

            let emailsBefore = try await Self.count(server, "SELECT COUNT(*) FROM outbox")
            let email = try await Self.folio(["invoices", "email", number, "--comment", "resent"], baseURL: server.baseURL)
            #expect(email.status == 0 && email.stdout.contains("sent to"))
            #expect(try await Self.count(server, "SELECT COUNT(*) FROM outbox") == emailsBefore + 1)

            let show = try await Self.folio(["invoices", "show", number, "--json"], baseURL: server.baseURL)
            let detail = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
            #expect(detail["increment_id"] as? String == number && detail["source"] as? String == "admin")
        }
    }

    @Test func exportStreamsEveryInvoice() async throws {
        try await Self.withServer(orders: 500) { server in
            let total = try await Self.count(server, "SELECT COUNT(*) FROM invoices")
            let csv = try await Self.folio(["invoices", "export", "--format", "csv", "--page-size", "50"], baseURL: server.baseURL)
            #expect(csv.status == 0)
            let rows = csv.stdout.split(separator: "\n")
            #expect(rows.count == total + 1 && rows.first?.hasPrefix("increment_id,") == true)
            let jsonl = try await Self.folio(["invoices", "export", "--format", "jsonl", "--state", "open"], baseURL: server.baseURL)
            let open = try await Self.count(server, "SELECT COUNT(*) FROM invoices WHERE state = 1")
            #expect(jsonl.stdout.split(separator: "\n").count == open)
            #expect(jsonl.stderr.isEmpty, "no progress when stderr is not a terminal")
        }
    }

    @Test func ordersHistoryNewestFirstForPeopleAndScripts() async throws {
        try await Self.withServer { server in
            let table = try await Self.folio(["orders", "history", "100000044"], baseURL: server.baseURL)
            #expect(table.status == 0, "\(table.stderr)")
            let lines = table.stdout.split(separator: "\n")
            #expect(lines.first?.hasPrefix("WHEN") == true && lines.count == 4)
            #expect(lines[1].contains("email") && lines[1].contains("internal, customer notified"))
            #expect(lines[2].contains("Status changed to processing") && lines[3].contains("Invoice 100000045 created"))
            let json = try await Self.folio(["orders", "history", "100000044", "--json"], baseURL: server.baseURL)
            let entries = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
            #expect(entries.count == 3 && entries[0]["source"] as? String == "email" && entries[0]["is_customer_notified"] as? Bool == true)
            let missing = try await Self.folio(["orders", "history", "999999999"], baseURL: server.baseURL)
            #expect(missing.status == 3)
            // A hostile comment (OSC 52 to the clipboard, a bidi override, a C1 control) reaches the terminal as visible escapes.
            let hostile = "paid \u{1B}]52;c;cm0gLXJm\u{07} \u{202E}txt.exe \u{9B}31m"
            let body = String(decoding: try JSONSerialization.data(withJSONObject: ["order_id": 44, "comment": hostile]), as: UTF8.self)
            #expect(try await SandboxClient(baseURL: server.baseURL, token: Self.token).post("/api2/history", body) == 201)
            let shown = try await Self.folio(["orders", "history", "100000044"], baseURL: server.baseURL)
            #expect(shown.status == 0 && shown.stdout.contains("paid "))
            #expect(!shown.stdout.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{202E}" || $0 == "\u{9B}" || $0 == "\u{07}" })
        }
    }

    /// `folio orders note` and the resend rules of `folio invoices email`, against the real server.
    @Test func notesAndResendsByTheSupportDeskRules() async throws {
        try await Self.withServer { server in
            let note = try await Self.folio(["orders", "note", "100000044", "called, wants a copy"], baseURL: server.baseURL)
            #expect(note.status == 0 && note.stdout.hasPrefix("internal note added to order 100000044, ref "), "\(note.stderr)")
            let json = try await Self.folio(["orders", "note", "100000044", "second", "--json"], baseURL: server.baseURL)
            let added = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let reference = try #require(added["reference"] as? String)
            #expect((added["entry"] as? [String: Any])?["comment"] as? String == "[folio-op \(reference)] second")
            #expect((added["entry"] as? [String: Any])?["is_visible_on_front"] as? Bool == false)
            #expect(try await Self.count(server, "SELECT COUNT(*) FROM order_history WHERE comment LIKE '%] called, wants a copy'") == 1)
            let empty = try await Self.folio(["orders", "note", "100000044", "  "], baseURL: server.baseURL)
            #expect(empty.status == 2 && empty.stderr == "folio: the note is empty — type what happened\n")

            let outbox = "SELECT COUNT(*) FROM outbox WHERE increment_id = '100000045'"
            let before = try await Self.count(server, outbox)
            let first = try await Self.folio(["invoices", "email", "100000045"], baseURL: server.baseURL)
            #expect(first.status == 0 && first.stdout.contains("noted in order 100000044's history (ref "), "\(first.stderr)")
            // Again at once: refused with what to do, nothing sent.
            let again = try await Self.folio(["invoices", "email", "100000045"], baseURL: server.baseURL)
            #expect(again.status == 2 && again.stderr.contains("within 10 minutes a resend needs a reason: --again \"why\""))
            #expect(again.stderr.contains("(just now)"))
            #expect(try await Self.count(server, outbox) == before + 1)
            let blank = try await Self.folio(["invoices", "email", "100000045", "--again", " "], baseURL: server.baseURL)
            #expect(blank.status == 2)
            #expect(try await Self.count(server, outbox) == before + 1)
            let reasoned = try await Self.folio(
                ["invoices", "email", "100000045", "--again", "customer deleted it"], baseURL: server.baseURL)
            #expect(reasoned.status == 0, "\(reasoned.stderr)")
            #expect(try await Self.count(server, outbox) == before + 2)
            #expect(
                try await Self.count(server, "SELECT COUNT(*) FROM order_history WHERE comment LIKE '%emailed again%: customer deleted it'")
                    == 1)
            // The window is configurable; 0 turns the question off, nonsense is refused by name.
            var environment = [
                "FOLIO_BASE_URL": server.baseURL, "FOLIO_TOKEN": Self.token, "XDG_CONFIG_HOME": "/nonexistent",
                "XDG_STATE_HOME": Self.stateHome, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "FOLIO_RESEND_WINDOW_MINUTES": "0",
            ]
            let off = try await Self.folio(["invoices", "email", "100000045"], baseURL: server.baseURL, environment: environment)
            #expect(off.status == 0, "\(off.stderr)")
            #expect(try await Self.count(server, outbox) == before + 3)
            environment["FOLIO_RESEND_WINDOW_MINUTES"] = "ten"
            let nonsense = try await Self.folio(["invoices", "email", "100000045"], baseURL: server.baseURL, environment: environment)
            #expect(nonsense.status != 0 && nonsense.stderr.contains("resend_window_minutes must be a whole number from 0 to 1440"))
            #expect(try await Self.count(server, outbox) == before + 3)
        }
    }

    /// `folio creditmemos create`: a dry run sends nothing; a refund of one
    /// unit raises exactly that item's refunded quantity, at the previewed
    /// total; more than is left is refused before sending (exit 2);
    /// `orders show` then says so.
    @Test func creditMemosFromTheCommandLine() async throws {
        try await Self.withServer { server in
            let store = SandboxClient(baseURL: server.baseURL, token: Self.token)
            let before = try await store.orderItems("100000044", field: "qty_refunded")
            let dry = try await Self.folio(
                ["creditmemos", "create", "--invoice", "100000045", "--item", "24-WG085=1", "--offline", "--dry-run", "--json"],
                baseURL: server.baseURL)
            #expect(dry.status == 0, "\(dry.stderr)")
            let preview = try #require(try JSONSerialization.jsonObject(with: Data(dry.stdout.utf8)) as? [String: Any])
            let total = try #require((preview["grand_total"] as? [String: Any])?["amount"] as? String)
            #expect(try await store.orderItems("100000044", field: "qty_refunded") == before)
            let real = try await Self.folio(
                ["creditmemos", "create", "--invoice", "100000045", "--item", "24-WG085=1", "--json"], baseURL: server.baseURL)
            #expect(real.status == 0, "\(real.stderr)")
            let created = try #require(try JSONSerialization.jsonObject(with: Data(real.stdout.utf8)) as? [String: Any])
            let number = try #require(created["creditmemo"] as? String)
            let after = try await store.orderItems("100000044", field: "qty_refunded")
            #expect(after["24-WG085"] == (before["24-WG085"] ?? -9) + 1, "exactly one unit of that item refunded")
            #expect(after.filter { $0.key != "24-WG085" } == before.filter { $0.key != "24-WG085" })
            let memo = try await store.json("/api2/creditmemo?increment_id=\(number)")
            #expect(Decimal(string: (memo["creditmemo"] as? [String: Any])?["grand_total"] as? String ?? "") == Decimal(string: total))
            let over = try await Self.folio(
                ["creditmemos", "create", "--invoice", "100000045", "--item", "24-WG085=3"], baseURL: server.baseURL)
            #expect(over.status == 2 && over.stderr == "folio: 24-WG085: only 2 left to refund\n")
            #expect(try await store.orderItems("100000044", field: "qty_refunded") == after)
            // `orders show` has the refunded column, and --json the field.
            let shown = try await Self.folio(["orders", "show", "100000044"], baseURL: server.baseURL)
            let lines = shown.stdout.split(separator: "\n")
            let header = try #require(lines.first { $0.contains("REFUNDED") })
            let end = try #require(header.range(of: "REFUNDED")).upperBound.utf16Offset(in: header)
            let strap = try #require(lines.first { $0.contains("24-WG085") })
            #expect(strap.prefix(end).split(separator: " ").last == "1")
            let json = try await Self.folio(["orders", "show", "100000044", "--json"], baseURL: server.baseURL)
            let order = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let refunded = (order["items"] as? [[String: Any]] ?? []).first { $0["sku"] as? String == "24-WG085" }?["qty_refunded"]
            #expect(refunded.map { "\($0)" } == "1")
        }
    }

    /// A SKU sold on two lines of an order names neither in `--item`: the
    /// CLI says so and names both ways to say which, before anything is sent.
    @Test func aSkuOnTwoLinesMustBeNamedById() async throws {
        try await Self.withServer { server in
            let (order, ids, sku): (String, [Int64], String) = try await server.database.write { db in
                let row = try #require(
                    try Row.fetchOne(
                        db,
                        sql: """
                            SELECT o.increment_id, MIN(i.item_id), MAX(i.item_id), MIN(i.sku) FROM orders o
                            JOIN order_items i ON i.order_id = o.entity_id
                            WHERE NOT EXISTS (SELECT 1 FROM invoices v WHERE v.order_id = o.entity_id) AND o.state != 'canceled'
                            GROUP BY o.entity_id HAVING COUNT(*) >= 2 ORDER BY o.entity_id LIMIT 1
                            """))
                let ids: [Int64] = [row[1], row[2]]
                try db.execute(sql: "UPDATE order_items SET sku = ? WHERE item_id IN (?, ?)", arguments: [row[3], ids[0], ids[1]])
                return (row[0], ids, row[3])
            }
            let run = try await Self.folio(["invoices", "create", "--order", order, "--item", "\(sku)=1"], baseURL: server.baseURL)
            #expect(run.status == 2, "\(run.stdout)\(run.stderr)")
            #expect(
                run.stderr
                    == "folio: \(sku)=1: \(sku) is sold on 2 lines of order \(order) — name one: id=\(ids[0])=1 or id=\(ids[1])=1\n")
            #expect(
                try await Self.count(
                    server, "SELECT COUNT(*) FROM invoices WHERE order_id = (SELECT entity_id FROM orders WHERE increment_id = '\(order)')")
                    == 0)
        }
    }

    @Test func ordersShowTheRemainder() async throws {
        try await Self.withServer { server in
            // One unit invoiced first: the remainder is then 2 of 3, and 2.5 m of linen untouched.
            let partial = try await Self.folio(
                ["invoices", "create", "--order", "100000123", "--item", "PRODUCT-001=1"],
                baseURL: server.baseURL)
            #expect(partial.status == 0, "\(partial.stderr)")
            let run = try await Self.folio(["orders", "show", "100000123"], baseURL: server.baseURL)
            #expect(run.status == 0)
            let lines = run.stdout.split(separator: "\n")
            let header = try #require(lines.first { $0.contains("REMAINING") })
            let end = try #require(header.range(of: "REMAINING")).upperBound.utf16Offset(in: header)
            func remaining(_ sku: String) throws -> Substring {
                let row = try #require(lines.first { $0.contains(sku) }, "no row for \(sku)")
                return row.prefix(end).split(separator: " ").last ?? ""
            }
            #expect(try remaining("PRODUCT-001") == "2")
            #expect(try remaining("LIN-NAT-M") == "2.5")
            #expect(try remaining("24-MB01") == "4")
        }
    }
}
