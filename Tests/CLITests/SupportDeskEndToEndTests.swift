import FolioServer
import FolioTestSupport
import Foundation
import GRDB
import Testing

/// The support desk in a real terminal against the reference server: a
/// note from the invoice lands in the order's history, a second resend
/// asks why, and a store that cannot search by customer is said to be one.
@Suite(.needsTmux) struct SupportDeskEndToEndTests {
    static func openInvoice(_ tui: TmuxSession, _ number: String) async throws {
        try await tui.waitFor("page 1/")
        try await tui.search(number)
        try await tui.waitFor("the invoice listed") { $0.contains("invoice \(number)") && $0.contains("page 1/1") }
        try await tui.keys("Enter")
        try await tui.waitFor("Invoice \(number)")
    }

    @Test func aNoteFromTheInvoiceLandsInTheOrdersHistory() async throws {
        try await CLITests.withServer { server in
            let store = SandboxClient(baseURL: server.baseURL, token: CLITests.token)
            try await TmuxSession.run(server: server) { tui in
                try await Self.openInvoice(tui, "100000045")
                try await tui.keys("N")
                try await tui.waitFor("Internal note on order 100000044")
                try await tui.type("Kundin rief an — copy by post")
                try await tui.keys("Enter")
                try await tui.waitFor("internal note added to order 100000044")
                let history = try await store.json("/api2/history?order_increment_id=100000044")
                let entries = try #require(history["history"] as? [[String: Any]])
                let note = try #require(entries.first)
                let comment = try #require(note["comment"] as? String)
                #expect(comment.hasPrefix("[folio-op ") && comment.hasSuffix("] Kundin rief an — copy by post"))
                #expect(note["is_visible_on_front"] as? Bool == false && note["is_customer_notified"] as? Bool == false)
                // The reference on the status line is the one in the store.
                let screen = try await tui.screen()
                #expect(screen.contains(String(comment.dropFirst(10).prefix(19))))
                // The invoice shows it in its history once reloaded.
                try await tui.keys("G")
                try await tui.waitFor("the note under History") { $0.contains("Kundin rief an") }
                try await tui.keys("q", "q")
                #expect(try await tui.exitStatus() == 0)
            }
        }
    }

    /// Two resends: the second asks why; an empty reason sends nothing, Esc
    /// sends nothing; the outbox holds exactly the confirmed sends, and the
    /// history names the second with its reason.
    @Test func aSecondResendAsksWhyAndOnlyConfirmedSendsGo() async throws {
        try await CLITests.withServer { server in
            let store = SandboxClient(baseURL: server.baseURL, token: CLITests.token)
            let before = try await store.outbox(invoice: 456).count
            try await TmuxSession.run(server: server) { tui in
                try await Self.openInvoice(tui, "100000045")
                try await tui.keys("e")
                try await tui.waitFor("last sent:")
                try await tui.keys("Enter")
                try await tui.waitFor("email of invoice 100000045 sent")
                #expect(try await store.outbox(invoice: 456).count == before + 1)

                try await tui.keys("e")
                try await tui.waitFor("the first send named") { $0.contains("last sent:") && $0.contains("via Folio") }
                try await tui.keys("Enter")
                try await tui.waitFor("why send it again?")
                try await tui.keys("Enter")
                try await tui.waitFor("say why it is sent again")
                try await tui.keys("Escape", "Escape")
                try await tui.waitFor("the dialog closed") { !$0.contains("Resend the email") }
                #expect(try await store.outbox(invoice: 456).count == before + 1, "an empty reason and Esc send nothing")

                try await tui.keys("e")
                try await tui.waitFor("last sent:")
                try await tui.keys("Enter")
                try await tui.waitFor("why send it again?")
                try await tui.type("customer deleted it")
                try await tui.keys("Enter")
                try await tui.waitFor("the second send") { $0.contains("email of invoice 100000045 sent") && !$0.contains("why again") }
                #expect(try await store.outbox(invoice: 456).count == before + 2)
                let history = try await store.json("/api2/history?order_increment_id=100000044")
                let comments = (history["history"] as? [[String: Any]] ?? []).compactMap { $0["comment"] as? String }
                #expect(comments.filter { $0.contains("emailed again to") && $0.hasSuffix(": customer deleted it") }.count == 1)
                try await tui.keys("q", "q")
                #expect(try await tui.exitStatus() == 0)
            }
        }
    }

    /// A caller gives their email: the list shows that customer's invoices
    /// and no one else's, checked row by row against the store.
    @Test func searchingACustomersEmailShowsTheirInvoicesOnly() async throws {
        try await CLITests.withServer(orders: 400) { server in
            let email = try await server.database.read { db in
                try String.fetchOne(
                    db, sql: "SELECT lower(customer_email) FROM invoices GROUP BY lower(customer_email) ORDER BY COUNT(*) DESC LIMIT 1")
            }
            let address = try #require(email)
            let theirs = Set(
                try await server.database.read { db in
                    try String.fetchAll(db, sql: "SELECT increment_id FROM invoices WHERE lower(customer_email) = ?", arguments: [address])
                })
            #expect(theirs.count > 1)
            try await TmuxSession.run(server: server) { tui in
                try await tui.waitFor("page 1/")
                try await tui.search(address.uppercased())
                try await tui.waitFor("the customer's invoices") {
                    $0.contains("customer ") && TmuxSession.invoiceRows($0).count == min(theirs.count, 20)
                }
                let shown = TmuxSession.invoiceRows(try await tui.screen()).map { String($0.prefix(9)) }
                #expect(Set(shown).isSubset(of: theirs), "every row is the customer's: \(shown) vs \(theirs)")
                try await tui.keys("Escape")
                try await tui.waitFor("the filters back") { !$0.contains("customer ") }
                try await tui.keys("q")
                #expect(try await tui.exitStatus() == 0)
            }
        }
    }

    /// A store that drops the filters it does not know answers everyone's
    /// invoices: the screen says it cannot search by customer and the list
    /// stays exactly as it was.
    @Test func aStoreThatIgnoresTheCustomerFilterIsSaidToBeOne() async throws {
        try await CLITests.withServer { server in
            let proxy = try FaultProxy(upstreamPort: server.port)
            defer { proxy.stop() }
            proxy.dropQueryParameters(["customer_email", "billing_name"])
            try await TmuxSession.run(server: server, environment: ["FOLIO_BASE_URL": proxy.baseURL]) { tui in
                try await tui.waitFor("page 1/")
                let rows = TmuxSession.invoiceRows(try await tui.screen())
                #expect(!rows.isEmpty)
                try await tui.search("zoe.fassbender@example.com")
                try await tui.waitFor("this store cannot search invoices by customer")
                let after = try await tui.screen()
                #expect(TmuxSession.invoiceRows(after) == rows, "the list as it was, no other customer's invoice as a result")
                #expect(!after.contains("customer zoe"))
                try await tui.search("Faßbender")
                try await tui.waitFor("the name search refused too") {
                    $0.contains("this store cannot search invoices by customer") && $0.contains("Faßbender")
                }
                #expect(TmuxSession.invoiceRows(try await tui.screen()) == rows)
                try await tui.keys("q")
                #expect(try await tui.exitStatus() == 0)
            }
        }
    }
}
