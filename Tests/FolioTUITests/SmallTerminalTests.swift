import FolioCore
import FolioServer
import FolioTerminal
import FolioTestSupport
import Foundation
import Testing

@testable import FolioTUI

/// Every screen and dialog at every size from the README's 30×8 minimum up
/// to 40×12: each draws (the create form once trapped at heights 8–11), no
/// line is wider than the window, and what the screen is can still be read.
@Suite struct SmallTerminalTests {
    /// A screen to try: its state at 80×24, a word it must still show at
    /// every size, and what proves at 80×24 that the setup made this variant
    /// (not its base screen again).
    struct Case {
        let name: String
        let state: AppState
        let shows: String
        var setup: String? = nil
    }

    static func press(_ state: AppState, _ keys: Key...) -> AppState {
        var state = state
        for key in keys { _ = state.update(.key(key)) }
        return state
    }

    static func cases(invoice: InvoiceDetail, order: Order, others: Page<Order>) throws -> [Case] {
        let list = Fixtures.loaded()
        var failing = list
        _ = failing.update(.key(.character("s")))
        let (failed, _) = try #require(Fixtures.loadRequest(failing.update(.key(.character("R")))))
        _ = failing.update(
            .pageLoaded(request: failed, .failure(.server(status: 500, message: String(repeating: "the store said no; ", count: 12)))))
        let detail = DetailTests.opened(invoice)
        var orderView = detail
        guard case .loadOrder(let orderRequest, _)? = orderView.update(.key(.character("o"))).first else { throw CancellationError() }
        _ = orderView.update(.orderLoaded(request: orderRequest, .success(order)))
        var asking = list
        guard case .loadInvoiceableOrders(let ordersRequest, _)? = asking.update(.key(.character("c"))).first else {
            throw CancellationError()
        }
        _ = asking.update(.invoiceableOrdersLoaded(request: ordersRequest, .success(others)))
        asking = press(asking, .down, .down)
        var loadingOrder = press(list, .character("c"))
        for c in "100000123" { _ = loadingOrder.update(.key(.character(c))) }
        _ = loadingOrder.update(.key(.enter))
        let form = CreateTests.picking(order)
        var problem = press(form, .character("5"))
        problem.create?.problem = String(repeating: "a long refusal from the store ", count: 6)
        let online = press(form, .tab, .right)
        let comment = press(form, .tab, .tab, .tab)
        let review = press(form, .enter)
        var sending = review
        _ = sending.update(.key(.character("y")))
        var pending = review
        pending.create?.pendingConfirm = "ab12cd34"
        pending.create?.problem = "order 100000123 has a write of unknown outcome (ref ab12cd34) — check its invoices below"
        var unknown = form
        unknown.create?.unknown = (reference: "ab12cd34", reason: "the answer was lost")
        unknown.create?.recentInvoices = Fixtures.special

        let journal = Fixtures.journal()
        for n in 0..<3 {
            let intent = JournalEntry.Intent(
                kind: .invoiceCreate, profile: "test", orderNumber: "10000012\(n)",
                summary: ["create", "order 10000012\(n)", "all remaining items"], body: "{}")
            try journal.begin(intent, reference: .make())
        }
        var writes = press(list, .character("W"))
        writes.writes.open = try journal.openEntries()
        let settling = press(writes, .character("s"))
        var message = list
        message.message = StatusMessage(.error, String(repeating: "a message longer than any screen ", count: 8))
        message = press(message, .character("m"))

        var refundLoading = detail
        refundLoading.detail?.source = .invoice(id: invoice.id)
        _ = refundLoading.update(.key(.character("R")))
        let refund = try RefundScreenTests.refunding(try StoreFixtures.refund456)
        let refundPicked = press(refund, .character("1"))
        let refundOnline = press(refundPicked, .tab, .tab, .tab, .tab, .character(" "))
        var refundSending = press(refundPicked, .enter)
        _ = refundSending.update(.key(.character("y")))
        var refundUnknown = refundPicked
        refundUnknown.refund?.unknown = (reference: "ab12cd34", reason: "the answer was lost")

        return [
            Case(name: "refund, loading", state: refundLoading, shows: "loading"),
            Case(name: "refund form", state: refund, shows: "Refund total"),
            Case(name: "refund, online", state: refundOnline, shows: "[online]", setup: "money moves"),
            Case(name: "refund, comment", state: press(refundPicked, .backTab), shows: "Comment"),
            Case(name: "refund review", state: press(refundPicked, .enter), shows: "Review", setup: "y or Enter refunds"),
            Case(name: "refund sending", state: refundSending, shows: "refunding…"),
            Case(name: "refund, outcome unknown", state: refundUnknown, shows: "refund", setup: "outcome unknown"),
            Case(name: "refund help", state: press(refund, .character("?")), shows: "keys"),
            Case(name: "list", state: list, shows: "shop │ all"),
            // The error is longer than the status line: it says which key shows it whole.
            Case(name: "list after a failed load", state: failing, shows: "m: all"),
            Case(name: "list help", state: press(list, .character("?")), shows: "keys"),
            Case(name: "dates", state: press(list, .character("d")), shows: "Created"),
            Case(name: "dates typed", state: press(list, .character("d"), .character("2")), shows: "from 2"),
            Case(name: "sort", state: press(list, .character("o")), shows: "Sort"),
            Case(name: "email", state: press(list, .character("e")), shows: "comment:"),
            Case(name: "search", state: press(list, .character("/"), .character("4")), shows: "number, email"),
            Case(name: "writes", state: writes, shows: "Writes", setup: "order 100000120"),
            Case(name: "writes, settling", state: settling, shows: "Writes", setup: "what you saw on the store"),
            Case(name: "message", state: message, shows: "Error"),
            Case(name: "detail", state: detail, shows: "invoice \(invoice.incrementId)"),
            Case(name: "detail help", state: press(detail, .character("?")), shows: "keys"),
            Case(name: "detail email", state: press(detail, .character("e")), shows: "comment:"),
            Case(name: "order", state: orderView, shows: "order \(order.incrementId)"),
            Case(name: "order help", state: press(orderView, .character("?")), shows: "keys"),
            Case(name: "create, choosing an order", state: asking, shows: others.items[1].incrementId),
            Case(name: "create, loading the order", state: loadingOrder, shows: "order #", setup: "looking up the order…"),
            Case(name: "create form", state: form, shows: "Selection subtotal"),
            Case(name: "create form, a problem", state: problem, shows: "create", setup: "a long refusal"),
            Case(name: "create form, online", state: online, shows: "[online]"),
            Case(name: "create form, comment", state: comment, shows: "comment:"),
            Case(name: "create review", state: review, shows: "y or Enter sends"),
            Case(name: "create sending", state: sending, shows: "sending…"),
            Case(name: "create review, pending", state: pending, shows: "Review", setup: "sends anyway"),
            Case(name: "create, outcome unknown", state: unknown, shows: "create", setup: "outcome unknown"),
            Case(name: "create help", state: press(form, .character("?")), shows: "keys"),
        ]
    }

    @Test func everyScreenAtEverySizeFromTheMinimum() async throws {
        let order = try StoreFixtures.order123
        let invoice = try StoreFixtures.invoice456
        let others = try StoreFixtures.orders("orders-invoiceable")
        for screen in try Self.cases(invoice: invoice, order: order, others: others) {
            #expect(screen.state.render().text.contains(screen.shows), "\(screen.name) at 80×24 shows “\(screen.shows)”")
            for height in 8...12 {
                for width in 30...40 {
                    var state = screen.state
                    _ = state.update(.resize(width: width, height: height))
                    let canvas = state.render()
                    let text = canvas.text
                    let lines = (0..<canvas.height).map(canvas.row)
                    #expect(
                        lines.allSatisfy { TextWidth.of($0) <= width },
                        "\(screen.name) at \(width)×\(height): a line is wider than the window\n\(text)")
                    #expect(!text.contains("too small"), "\(screen.name) at \(width)×\(height) is above the minimum")
                    #expect(text.contains(screen.shows), "\(screen.name) at \(width)×\(height) lost “\(screen.shows)”\n\(text)")
                }
            }
        }
    }

    @Test func belowTheMinimumEveryScreenSaysTooSmall() async throws {
        let order = try StoreFixtures.order123
        let invoice = try StoreFixtures.invoice456
        let others = try StoreFixtures.orders("orders-invoiceable")
        for screen in try Self.cases(invoice: invoice, order: order, others: others) {
            for (width, height) in [(29, 8), (30, 7), (12, 3), (1, 1), (0, 0)] {
                var state = screen.state
                _ = state.update(.resize(width: width, height: height))
                let text = state.render().text
                if width >= 20, height >= 3 {
                    #expect(text.contains("too small"), "\(screen.name) at \(width)×\(height)\n\(text)")
                }
                // Down to 11×2 the size it needs can still be read.
                if width >= 11, height >= 2 {
                    #expect(text.contains("(need 30×8)"), "\(screen.name) at \(width)×\(height)\n\(text)")
                }
            }
        }
    }
}
