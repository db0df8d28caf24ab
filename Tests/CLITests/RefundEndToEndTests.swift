import FolioServer
import FolioTestSupport
import Foundation
import GRDB
import Testing

/// Refunds in a real terminal against the reference server: one unit
/// refunded is exactly one unit on the order, at the total the review
/// showed; what another clerk refunded meanwhile is refused, never
/// refunded twice; an online refund of money taken offline never goes; a
/// lost answer still ends in exactly one credit memo.
@Suite(.needsTmux) struct RefundEndToEndTests {
    /// The invoice open, `R` pressed, the refund screen loaded.
    static func openRefund(_ tui: TmuxSession, _ number: String) async throws {
        try await SupportDeskEndToEndTests.openInvoice(tui, number)
        try await tui.keys("R")
        try await tui.waitFor("the refund screen") { $0.contains("refund from invoice \(number)") && $0.contains("Refund total") }
    }

    /// The review's total, as the screen shows it ("total to refund: €13.93 (base $15.12)").
    static func previewTotal(_ screen: String) -> Decimal? {
        guard let range = screen.range(of: "total to refund: ") else { return nil }
        let figure = screen[range.upperBound...].prefix { !$0.isWhitespace }.filter { $0.isNumber || $0 == "." }
        return Decimal(string: String(figure))
    }

    static func memos(_ server: RunningServer) async throws -> [(number: String, total: Int, comment: String)] {
        try await server.database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT c.increment_id, c.grand_total, h.comment FROM creditmemos c
                    JOIN order_history h ON h.order_id = c.order_id AND h.comment LIKE 'Credit memo ' || c.increment_id || ' %'
                    ORDER BY c.entity_id
                    """
            ).map { ($0[0], $0[1], $0[2]) }
        }
    }

    @Test func oneUnitRefundedIsOneUnitAtTheReviewedTotal() async throws {
        try await CLITests.withServer { server in
            let store = SandboxClient(baseURL: server.baseURL, token: CLITests.token)
            let before = try await store.orderItems("100000044", field: "qty_refunded")
            try await TmuxSession.run(server: server) { tui in
                try await Self.openRefund(tui, "100000045")
                try await tui.keys("1", "Enter")
                try await tui.waitFor("total to refund:")
                let preview = try #require(Self.previewTotal(try await tui.screen()))
                try await tui.keys("y")
                try await tui.waitFor("done", timeout: .seconds(60)) { $0.contains("done · credit memo") }
                let after = try await store.orderItems("100000044", field: "qty_refunded")
                #expect(after["24-WG085"] == (before["24-WG085"] ?? 0) + 1, "exactly one unit: \(before) → \(after)")
                #expect(after["LAMP-ARC-XL"] == before["LAMP-ARC-XL"])
                let memos = try await Self.memos(server)
                #expect(memos.count == 1)
                let memo = try #require(memos.first)
                let booked = try await store.json("/api2/creditmemo?increment_id=\(memo.number)")
                let total = try #require((booked["creditmemo"] as? [String: Any])?["grand_total"])
                #expect(Decimal(string: "\(total)") == preview, "the review said \(preview), the store booked \(total)")
                #expect(try await tui.screen().contains("refunded €\(preview)"))
                // Back on the invoice; R again: 2 left of the strap, and 3 is refused on the spot.
                try await tui.keys("R")
                try await tui.waitFor("the screen again") { $0.contains("Refund total") && $0.contains("Refunded") }
                try await tui.keys("3")
                try await tui.waitFor("24-WG085: only 2 left to refund")
                try await tui.keys("Escape", "q", "q")
                #expect(try await tui.exitStatus() == 0)
            }
        }
    }

    /// Another clerk refunds everything while this one reviews: the store
    /// refuses this refund, the screen says so, and nothing more is refunded.
    @Test func aSecondFullRefundIsRefusedNotDoubled() async throws {
        try await CLITests.withServer { server in
            let store = SandboxClient(baseURL: server.baseURL, token: CLITests.token)
            try await TmuxSession.run(server: server) { tui in
                try await Self.openRefund(tui, "100000045")
                try await tui.keys("A", "Enter")
                try await tui.waitFor("total to refund:")
                // The other clerk: everything left, by the vendor's default (no items named).
                #expect(try await store.post("/api2/creditmemo", #"{"invoice_increment_id": "100000045"}"#) == 201)
                let refunded = try await store.orderItems("100000044", field: "qty_refunded")
                try await tui.keys("y")
                try await tui.waitFor("the store's refusal", timeout: .seconds(60)) {
                    $0.contains("refused by the store: Cannot create credit memo") && !$0.contains("Review")
                }
                let screen = try await tui.screen()
                #expect(!screen.contains("done · credit memo"), "\(screen)")
                #expect(try await store.orderItems("100000044", field: "qty_refunded") == refunded, "nothing more refunded")
                #expect(try await Self.memos(server).count == 1)
                try await tui.keys("Escape", "q", "q")
                #expect(try await tui.exitStatus() == 0)
            }
        }
    }

    /// Money taken offline cannot go back online: the screen says why and
    /// keeps the refund offline; nothing is sent, nothing changes.
    @Test func anOnlineRefundOfAnOfflineCaptureNeverGoes() async throws {
        try await CLITests.withServer { server in
            let number = try #require(
                try await server.database.read { db in
                    try String.fetchOne(
                        db, sql: "SELECT increment_id FROM invoices WHERE capture_mode = 'offline' AND state = 2 ORDER BY entity_id LIMIT 1"
                    )
                })
            try await TmuxSession.run(server: server) { tui in
                try await Self.openRefund(tui, number)
                try await tui.keys("1", "Tab", "Tab", "Tab", "Tab", "Space")
                try await tui.waitFor("was captured offline, so there is no payment to send back online")
                try await tui.keys("Enter")
                try await tui.waitFor("refund: offline — recorded only")
                try await tui.keys("Escape", "Escape", "q", "q")
                #expect(try await tui.exitStatus() == 0)
            }
            #expect(try await Self.memos(server).isEmpty)
        }
    }

    /// The store books the refund and the answer is lost: Folio finds it by
    /// its reference in the order's history, says so, and there is one memo.
    @Test func aLostAnswerEndsInExactlyOneCreditMemo() async throws {
        try await CLITests.withServer { server in
            let store = SandboxClient(baseURL: server.baseURL, token: CLITests.token)
            #expect(try await store.faults(#"{"drop_after_create": true}"#) == 200)
            try await TmuxSession.run(server: server) { tui in
                try await Self.openRefund(tui, "100000045")
                try await tui.keys("1", "Enter")
                try await tui.waitFor("total to refund:")
                try await tui.keys("y")
                // A loaded machine can take a while over the drop and the look-up; the outcome is what counts.
                try await tui.waitFor("done, found by its reference", timeout: .seconds(60)) {
                    $0.contains("done · credit memo") && $0.contains("confirmed on the store by its reference")
                }
                let memos = try await Self.memos(server)
                #expect(memos.count == 1)
                let screen = try await tui.screen()
                #expect(memos.first.map { screen.contains("credit memo \($0.number)") } == true)
                #expect(try await store.orderItems("100000044", field: "qty_refunded")["24-WG085"] == 1)
                try await tui.keys("q", "q")
                #expect(try await tui.exitStatus() == 0)
            }
        }
    }
}
