import FolioCore
import FolioServer
import FolioTerminal
import FolioTestSupport
import Foundation
import Testing

@testable import FolioTUI

/// The create screen's picker, options, review and results, on orders the
/// reference server really returns (the documents' order 123: two whole-unit
/// items and linen sold by the metre, nothing invoiced yet).
@Suite struct CreateTests {
    /// A list with the create screen open on `order`.
    static func picking(_ order: Order, width: Int = 80, height: Int = 24) -> AppState {
        var state = Fixtures.loaded(width: width, height: height)
        _ = state.update(.key(.character("c")))
        precondition(state.create?.ordersLoading != nil)
        for c in order.incrementId { _ = state.update(.key(.character(c))) }
        guard case .loadOrderForCreate(let request, let number)? = state.update(.key(.enter)).first else { fatalError("no lookup") }
        precondition(number == order.incrementId)
        _ = state.update(.createOrderLoaded(request: request, .success(order)))
        return state
    }

    static func press(_ state: inout AppState, _ keys: Key...) { for key in keys { _ = state.update(.key(key)) } }
    static func type(_ state: inout AppState, _ text: String) { for c in text { _ = state.update(.key(.character(c))) } }

    static func withOrder123(_ body: (Order, APIClient) async throws -> Void) async throws {
        try await DetailTests.withClient { client in try await body(try await client.order(number: "100000123"), client) }
    }

    @Test func defaultsToAllRemainingThenEveryPickerKey() async throws {
        let order = try StoreFixtures.order123
        var state = Self.picking(order)
        let create = try #require(state.create)
        #expect(create.stage == .form && create.focus == .items && create.selected == 0)
        let ids = order.items.map(\.id)
        #expect(ids.map { create.quantities[$0] } == order.items.map(\.qtyToInvoice))
        #expect(create.comment.text == "Invoiced via Folio")
        // Step: ← / - down, → / + up, never past what remains.
        Self.press(&state, .left, .character("-"))
        #expect(state.create?.quantities[ids[0]] == 2)
        Self.press(&state, .right, .character("+"), .character("+"))
        #expect(state.create?.quantities[ids[0]] == 4)
        #expect(state.create?.problem == "24-MB01: only 4 left to invoice")
        // Digits type; above the remainder is refused on the spot and the quantity stays.
        Self.type(&state, "3")
        #expect(state.create?.quantities[ids[0]] == 3 && state.create?.problem == nil)
        Self.type(&state, "5")
        #expect(state.create?.quantities[ids[0]] == 3)
        #expect(state.create?.problem == "24-MB01: only 4 left to invoice")
        Self.press(&state, .backspace)
        #expect(state.create?.quantities[ids[0]] == 0)
        Self.type(&state, ".")
        #expect(state.create?.problem == "24-MB01: whole units only")
        // 0 none, a all of this item.
        Self.press(&state, .character("a"))
        #expect(state.create?.quantities[ids[0]] == 4)
        Self.press(&state, .character("0"))
        #expect(state.create?.quantities[ids[0]] == 0)
        // The linen takes fractions: 1.5 typed, then + stops at 2.5.
        Self.press(&state, .down, .character("j"))
        #expect(state.create?.selected == 2)
        Self.type(&state, "1.5")
        #expect(state.create?.quantities[ids[2]] == Decimal(string: "1.5"))
        Self.press(&state, .right, .right)
        #expect(state.create?.quantities[ids[2]] == Decimal(string: "2.5"))
        Self.type(&state, "2.75")
        #expect(state.create?.quantities[ids[2]] == Decimal(string: "2.5"))
        // x none for every item, A all for every item.
        Self.press(&state, .character("x"))
        #expect(ids.allSatisfy { state.create?.quantities[$0] == 0 })
        Self.press(&state, .character("A"))
        #expect(ids.map { state.create?.quantities[$0] } == order.items.map(\.qtyToInvoice))
        Self.press(&state, .up, .character("k"), .up)
        #expect(state.create?.selected == 0)
    }

    @Test func itemsWithNothingLeftAreSkipped() async throws {
        try await Self.withOrder123 { order, client in
            // Invoice the duffle bag fully first: it then has nothing left.
            let first = try CapturePlan(order: order, quantities: [order.items[0].id: order.items[0].qtyToInvoice], capture: .noCapture)
            _ = try await client.createInvoice(first, journal: Fixtures.journal())
            let after = try await client.order(number: "100000123")
            var state = Self.picking(after)
            #expect(state.create?.selected == 1, "the selection starts on the first item with something left")
            Self.press(&state, .up)
            #expect(state.create?.selected == 1)
            Self.press(&state, .down, .down)
            #expect(state.create?.selected == 2)
            #expect(state.create?.quantities[after.items[0].id] == 0)
            try expectSnapshot(state.render(), "create-after-partial-80x24")
        }
    }

    /// A text field takes every printable key: `?`, `q`, `Q`, `W` and `m` are
    /// text in the comment, not help, quit, writes or message.
    @Test func theCommentTakesEveryPrintableKey() throws {
        var state = Self.picking(try StoreFixtures.order123)
        _ = state.press(.nextField, in: CreateState.itemKeys)
        _ = state.press(.nextField, in: CreateState.captureKeys)
        _ = state.press(.nextField, in: CreateState.emailKeys)
        #expect(state.create?.focus == .comment)
        Self.press(&state, .control("u"))
        for c in "Why? q Q W m" { #expect(state.update(.key(.character(c))).isEmpty, "\(c) acted") }
        #expect(state.create?.comment.text == "Why? q Q W m")
        #expect(state.rooms.count == 1 && state.dialog == nil)
        // Out of the field, ? is help again.
        _ = state.press(.previousField, in: CreateState.commentKeys)
        _ = state.press(GenericAction.help)
        #expect(state[HelpState.self]?.title == "Create an invoice — keys")
    }

    @Test func optionsReviewAndSendOnce() async throws {
        let order = try StoreFixtures.order123
        var state = Self.picking(order, width: 120, height: 40)
        try expectStyledSnapshot(state.render(), "create-120x40")
        Self.press(&state, .character("x"), .down, .character("1"))
        // Tab: capture (← → cycle), email (space), comment (editable).
        Self.press(&state, .tab)
        #expect(state.create?.focus == .capture && state.create?.capture == .offline)
        Self.press(&state, .right)
        #expect(state.create?.capture == .online)
        #expect(state.render().text.contains("the payment method must support online capture; the gateway decides"))
        Self.press(&state, .right)
        #expect(state.create?.capture == .noCapture)
        Self.press(&state, .right, .left)
        #expect(state.create?.capture == .noCapture)
        Self.press(&state, .tab, .character(" "))
        #expect(state.create?.sendEmail == true)
        Self.press(&state, .tab, .control("u"))
        Self.type(&state, "Teilrechnung — 1 Stück")
        #expect(state.create?.comment.text == "Teilrechnung — 1 Stück")
        Self.press(&state, .tab)
        #expect(state.create?.focus == .items)
        // Enter: the review names exactly what will be sent; Esc keeps everything.
        Self.press(&state, .enter)
        guard case .review(let plan)? = state.create?.stage else {
            Issue.record("no review")
            return
        }
        #expect(plan.lines?.count == 1 && plan.lines?.first?.sku == "PRODUCT-001" && plan.lines?.first?.qty == 1)
        #expect(plan.capture == .noCapture && plan.sendEmail && plan.comment == "Teilrechnung — 1 Stück")
        try expectSnapshot(state.render(), "create-review-120x40")
        Self.press(&state, .escape)
        #expect(state.create?.stage == .form && state.create?.quantities[order.items[1].id] == 1)
        Self.press(&state, .enter)
        let effects = state.update(.key(.character("y")))
        guard case .createInvoice(let request, let sent, false)? = effects.first else {
            Issue.record("no send")
            return
        }
        #expect(sent == plan)
        // In flight: no key sends again, none leaves.
        for key in [Key.character("y"), .enter, .escape] { #expect(state.update(.key(key)).isEmpty) }
        #expect(state.isBusy)
        // 400 from the store: the words, and the form exactly as it was.
        _ = state.update(
            .invoiceCreated(request: request, .failure(.refused(message: "Cannot invoice more than 0 of item 11", detail: nil))))
        #expect(state.create?.stage == .form)
        #expect(state.create?.problem?.contains("Cannot invoice more") == true)
        #expect(state.create?.quantities[order.items[1].id] == 1 && state.create?.capture == .noCapture)
        // An answer lost and not found by its reference: unknown. The plan is never re-armed:
        // the order is reloaded, its newest invoices shown, the journal checked.
        Self.press(&state, .enter)
        guard case .createInvoice(let retry, _, _)? = state.update(.key(.enter)).first else {
            Issue.record("no retry")
            return
        }
        let unknown = state.update(
            .invoiceCreated(
                request: retry,
                .failure(
                    .outcomeUnknown(what: "an invoice for order 100000123", reference: "AAAA-BBBB-CCCC-DDDD", reason: "connection reset"))))
        guard case .loadingOrder? = state.create?.stage else {
            Issue.record("the order is not reloaded")
            return
        }
        #expect(unknown.contains { if case .loadOrderForCreate(_, "100000123") = $0 { true } else { false } })
        #expect(unknown.contains { if case .loadOrderInvoices(_, "100000123") = $0 { true } else { false } })
        #expect(unknown.contains { if case .checkWrites(_, .zero) = $0 { true } else { false } })
        #expect(state.message?.text.contains("outcome unknown") == true && state.message?.text.contains("AAAA-BBBB-CCCC-DDDD") == true)
        for key in [Key.enter, .character("y")] {
            #expect(!state.update(.key(key)).contains { if case .createInvoice = $0 { true } else { false } }, "nothing re-sent")
        }
    }

    @Test func createdOpensTheNewInvoiceAndSaysWhenTheEmailWasNotSent() async throws {
        try await Self.withOrder123 { order, client in
            var state = Self.picking(order)
            Self.press(&state, .enter)
            guard case .createInvoice(let request, let plan, _)? = state.update(.key(.enter)).first else {
                Issue.record("no send")
                return
            }
            #expect(plan.lines == nil, "everything remaining is a full capture")
            let created = try await client.createInvoice(plan, journal: Fixtures.journal())
            let effects = state.update(.invoiceCreated(request: request, .success(created)))
            #expect(state.create == nil)
            #expect(state.detail?.id == created.invoice.id)
            #expect(effects.contains(.loadDetail(request: state.lastRequest, id: created.invoice.id)))
            #expect(state.message?.text == "done · invoice \(created.invoice.incrementId) · order 100000123 · ref \(created.reference)")
            // Email asked, not sent: say so and offer the resend.
            var asked = Self.picking(order)
            Self.press(&asked, .tab, .tab, .character(" "), .enter)
            guard case .review = asked.create?.stage else {
                Issue.record("no review with the email on")
                return
            }
            guard case .createInvoice(let again, let plan, _)? = asked.update(.key(.enter)).first else {
                Issue.record("no send")
                return
            }
            #expect(plan.sendEmail)
            let unsent = CreatedInvoice(invoice: created.invoice, reference: created.reference, reconciled: true, emailNotSent: true)
            _ = asked.update(.invoiceCreated(request: again, .success(unsent)))
            #expect(asked.message?.kind == .warning)
            #expect(asked.message?.text.contains("confirmed on the store by its reference") == true)
            #expect(asked.message?.text.contains("press e to resend") == true)
        }
    }

    @Test func pickingFromTheOrdersThatCanBeInvoiced() async throws {
        var state = Fixtures.loaded(width: 100, height: 30)
        guard case .loadInvoiceableOrders(let request, 1)? = state.update(.key(.character("c"))).first else {
            Issue.record("no list")
            return
        }
        let page = try StoreFixtures.orders("orders-invoiceable")
        #expect(!page.items.isEmpty && page.hasNext)
        _ = state.update(.invoiceableOrdersLoaded(request: request, .success(page)))
        #expect(state.render().text.contains("Orders that can still be invoiced"))
        #expect(state.render().text.contains(page.items[0].incrementId))
        Self.press(&state, .down, .down, .up)
        #expect(state.create?.pick == 0)
        // PgDn asks for the next page; Enter on a row looks that order up.
        guard case .loadInvoiceableOrders(_, 2)? = state.update(.key(.pageDown)).first else {
            Issue.record("no page 2")
            return
        }
        Self.press(&state, .down)
        guard case .loadOrderForCreate(_, let number)? = state.update(.key(.enter)).first else {
            Issue.record("no pick")
            return
        }
        #expect(number == page.items[1].incrementId)
        #expect(state.create?.orderNumber.text == page.items[1].incrementId)
    }

    @Test func askingForTheOrder() async throws {
        var state = Fixtures.loaded()
        _ = state.update(.key(.character("c")))
        #expect(state.render().text.contains("order #:"))
        _ = state.update(.key(.down))
        #expect(state.create?.pick == nil, "no list yet, nothing to pick")
        #expect(state.update(.key(.enter)).isEmpty)
        #expect(state.create?.problem == "type an order number")
        Self.type(&state, "999")
        guard case .loadOrderForCreate(let request, "999")? = state.update(.key(.enter)).first else {
            Issue.record("no lookup")
            return
        }
        _ = state.update(.createOrderLoaded(request: request, .failure(.notFound(what: "order 999"))))
        #expect(state.create?.stage == .askOrder && state.create?.orderNumber.text == "999")
        #expect(state.render().text.contains("order 999"))
        _ = state.update(.key(.escape))
        #expect(state.create == nil)
    }
}
