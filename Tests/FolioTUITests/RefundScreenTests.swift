import FolioTerminal
import Foundation
import Testing

@testable import FolioCore
@testable import FolioTUI

/// The refund screen (`R` on an invoice) on the invoice the reference
/// server really returns (100000045: two lines of 3, EUR on a USD base,
/// captured online by card): its picker, amounts, refund type, review, and
/// the three outcomes of its one send.
@Suite struct RefundScreenTests {
    /// The invoice opened from the list, `R` pressed, and `source` as the store's answer.
    static func refunding(_ source: RefundSource, width: Int = 80, height: Int = 24) throws -> AppState {
        let invoice = try StoreFixtures.invoice456
        var state = DetailTests.opened(invoice, width: width, height: height)
        state.detail?.source = .invoice(id: invoice.id)  // the list's row stands in for it
        let effects = state.press(.refund, in: Pager.invoiceKeys)
        guard case .loadRefundSource(let request, let number)? = effects.first else {
            Issue.record("no load: \(effects)")
            return state
        }
        #expect(number == "100000045")
        _ = state.update(.refundSourceLoaded(request: request, .success(source)))
        return state
    }

    static func press(_ state: inout AppState, _ keys: Key...) { for key in keys { _ = state.update(.key(key)) } }
    static func type(_ state: inout AppState, _ text: String) { for c in text { _ = state.update(.key(.character(c))) } }
    static func pick(_ state: inout AppState, _ action: QuantityPicker.Action) -> [Effect] {
        state.press(.pick(action), in: RefundState.itemKeys)
    }

    /// The form filled in: `qty` of the first line, then Enter.
    static func reviewed(_ state: inout AppState, qty: String = "1") -> RefundPlan? {
        type(&state, qty)
        _ = state.press(.review, in: RefundState.itemKeys)
        guard case .review(let plan)? = state.refund?.stage else { return nil }
        return plan
    }

    @Test func opensWithNothingChosenAndSaysWhatIsLeft() throws {
        let source = try StoreFixtures.refund456
        var state = try Self.refunding(source)
        let refund = try #require(state.refund)
        #expect(refund.stage == .form && refund.focus == .items && refund.refundType == .offline && !refund.sendEmail)
        #expect(source.lines.allSatisfy { refund.picker.quantity($0.orderItemId) == 0 }, "money goes back only when chosen")
        try expectStyledSnapshot(state.render(), "refund-80x24")
        // Enter with nothing chosen: said, nothing reviewed.
        _ = state.press(.review, in: RefundState.itemKeys)
        #expect(state.refund?.stage == .form)
        #expect(state.refund?.problem == "choose at least one item, some shipping or a positive adjustment to refund")
        var wide = try Self.refunding(source, width: 120, height: 40)
        try expectStyledSnapshot(wide.render(), "refund-120x40")
        _ = wide.press(.leave, in: RefundState.itemKeys)
        #expect(wide.refund == nil && wide.detail != nil, "Esc goes back to the invoice")
    }

    /// The create picker's keys and rule: never more than is left, whole units unless the item allows fractions.
    @Test func thePickerNeverTakesMoreThanIsLeft() throws {
        var source = try StoreFixtures.refund456
        // The first line partly refunded already (2 of 3): 1 left.
        source.lines[0].qtyRefunded = 2
        var state = try Self.refunding(source)
        let first = source.lines[0].orderItemId
        let second = source.lines[1].orderItemId
        _ = Self.pick(&state, .more)
        #expect(state.refund?.picker.quantity(first) == 1)
        _ = Self.pick(&state, .more)
        #expect(state.refund?.picker.quantity(first) == 1 && state.refund?.problem == "24-WG085: only 1 left to refund")
        _ = Self.pick(&state, .less)
        Self.type(&state, "2")
        #expect(state.refund?.picker.quantity(first) == 0 && state.refund?.problem == "24-WG085: only 1 left to refund")
        Self.type(&state, ".")
        #expect(state.refund?.problem == "24-WG085: whole units only")
        _ = Self.pick(&state, .allItems)
        #expect(state.refund?.picker.quantity(first) == 1 && state.refund?.picker.quantity(second) == 3 && state.refund?.problem == nil)
        _ = Self.pick(&state, .noItems)
        #expect(state.refund?.picker.quantities.values.allSatisfy { $0 == 0 } == true)
        _ = Self.pick(&state, .next)
        _ = Self.pick(&state, .allOfItem)
        #expect(state.refund?.picker.quantity(second) == 3 && state.refund?.picker.selected == 1)
        // A line with nothing left is skipped.
        source.lines[0].qtyRefunded = 3
        var done = try Self.refunding(source)
        #expect(done.refund?.picker.selected == 1)
        _ = Self.pick(&done, .previous)
        #expect(done.refund?.picker.selected == 1)
        // An item sold in fractions takes them, to four places, never past what is left.
        var fractions = try StoreFixtures.refund456
        fractions.decimalItems = [first]
        var metre = try Self.refunding(fractions)
        Self.type(&metre, "1.25")
        #expect(metre.refund?.picker.quantity(first) == Decimal(string: "1.25"))
        Self.type(&metre, "678")
        #expect(metre.refund?.picker.quantity(first) == Decimal(string: "1.2567"))
        Self.type(&metre, "8")
        #expect(
            metre.refund?.picker.quantity(first) == Decimal(string: "1.2567") && metre.refund?.problem == "24-WG085: at most 4 decimals")
        _ = Self.pick(&metre, .erase)
        #expect(metre.refund?.picker.quantity(first) == Decimal(string: "1.256"))
        _ = Self.pick(&metre, .noItems)
        Self.type(&metre, "4")
        #expect(metre.refund?.picker.quantity(first) == 0 && metre.refund?.problem == "24-WG085: only 3 left to refund")
        Self.type(&metre, "2.5")
        #expect(metre.refund?.picker.quantity(first) == Decimal(string: "2.5"))
        _ = Self.pick(&metre, .more)
        _ = Self.pick(&metre, .more)
        #expect(metre.refund?.picker.quantity(first) == 3, "+ stops at what is left")
    }

    @Test func amountsAreTypedExactlyAndCheckedAgainstWhatIsLeft() throws {
        let source = try StoreFixtures.refund456
        var state = try Self.refunding(source)
        _ = Self.pick(&state, .more)
        Self.press(&state, .tab)
        #expect(state.refund?.focus == .shipping && state.refund?.takesText == true)
        _ = state.press(.allShipping, in: RefundState.shippingKeys)
        #expect(state.refund?.shipping.text == "9.90")
        Self.press(&state, .control("u"))
        Self.type(&state, "9.91")
        _ = state.press(.review, in: RefundState.shippingKeys)
        #expect(state.refund?.stage == .form && state.refund?.problem == "the shipping to refund is at most €9.90")
        Self.press(&state, .control("u"))
        Self.type(&state, "4.955")
        _ = state.press(.review, in: RefundState.shippingKeys)
        #expect(state.refund?.problem == "the shipping takes at most 2 decimals in EUR")
        Self.press(&state, .control("u"))
        Self.type(&state, "4.95")
        // The fee typed the continental way: said, and nothing else moves.
        Self.press(&state, .tab, .tab)
        Self.type(&state, "1,50")
        _ = state.press(.review, in: RefundState.amountKeys)
        #expect(state.refund?.problem == "fee: \"1,50\" is not an amount — type it like 4.95")
        #expect(state.refund?.picker.quantity(source.lines[0].orderItemId) == 1 && state.refund?.shipping.text == "4.95")
        // A fee larger than the refund: less than nothing, refused before sending.
        Self.press(&state, .control("u"))
        Self.type(&state, "500")
        _ = state.press(.review, in: RefundState.amountKeys)
        #expect(state.refund?.problem?.contains("less than nothing — lower the fee") == true)
        Self.press(&state, .control("u"))
        Self.type(&state, "1.50")
        // Keys that are letters elsewhere are text here (q does not leave).
        Self.press(&state, .backTab)
        Self.type(&state, "q")
        #expect(state.refund?.credit.text == "q" && state.refund != nil)
        Self.press(&state, .control("u"))
        Self.type(&state, "2")
        guard let plan = Self.reviewedNow(&state) else { return }
        #expect(
            plan.shipping == Decimal(string: "4.95") && plan.adjustmentPositive == 2 && plan.adjustmentNegative == Decimal(string: "1.5"))
    }

    static func reviewedNow(_ state: inout AppState, sourceLocation: SourceLocation = #_sourceLocation) -> RefundPlan? {
        _ = state.update(.key(.enter))
        guard case .review(let plan)? = state.refund?.stage else {
            Issue.record("no review: \(state.refund?.problem ?? "")", sourceLocation: sourceLocation)
            return nil
        }
        return plan
    }

    /// Online only for an invoice captured online, with the warning that money moves.
    @Test func onlineOnlyWhenTheInvoiceWasCapturedOnline() throws {
        var state = try Self.refunding(try StoreFixtures.refund456)
        _ = Self.pick(&state, .more)
        Self.press(&state, .tab, .tab, .tab, .tab)
        #expect(state.refund?.focus == .refundType)
        _ = state.press(.nextType, in: RefundState.typeKeys)
        #expect(state.refund?.refundType == .online)
        #expect(state.render().text.contains("money moves: the payment method sends the refund back"))
        #expect(Self.reviewedNow(&state)?.refundType == .online)
        var offline = try StoreFixtures.refund456
        offline.captureMode = "offline"
        offline.transactionId = nil
        var recorded = try Self.refunding(offline)
        Self.press(&recorded, .tab, .tab, .tab, .tab)
        _ = recorded.press(.nextType, in: RefundState.typeKeys)
        #expect(recorded.refund?.refundType == .offline)
        #expect(
            recorded.refund?.problem
                == "invoice 100000045 was captured offline, so there is no payment to send back online — offline records the refund")
    }

    /// The review names every line, the shipping, the adjustments and the
    /// total in both currencies — the plan's own preview, as the store books it.
    @Test func theReviewNamesEverythingAndSendsOnce() throws {
        let source = try StoreFixtures.refund456
        var state = try Self.refunding(source, width: 120, height: 40)
        _ = Self.pick(&state, .more)
        Self.press(&state, .tab)
        _ = state.press(.allShipping, in: RefundState.shippingKeys)
        Self.press(&state, .tab)
        Self.type(&state, "5")
        Self.press(&state, .tab)
        Self.type(&state, "2.50")
        Self.press(&state, .tab, .tab, .character(" "), .tab)
        Self.type(&state, "strap returned")
        guard let plan = Self.reviewedNow(&state) else { return }
        let expected = try RefundPlan(
            source: source, quantities: [source.lines[0].orderItemId: 1], shipping: Decimal(string: "9.90")!, adjustmentPositive: 5,
            adjustmentNegative: Decimal(string: "2.5")!, sendEmail: true, comment: "strap returned")
        #expect(plan == expected)
        let screen = state.render().text
        for line in plan.summary { #expect(screen.contains(line), "\(line)") }
        #expect(
            screen.contains(
                "total to refund: \(Money(plan.preview.grandTotal.order, "EUR")) (base \(Money(plan.preview.grandTotal.base, "USD")))"))
        try expectStyledSnapshot(state.render(), "refund-review-120x40")
        var small = try Self.refunding(source)
        guard Self.reviewed(&small) != nil else {
            Issue.record("no review at 80×24")
            return
        }
        try expectStyledSnapshot(small.render(), "refund-review-80x24")
        // Esc: the form as it was.
        _ = state.press(.edit, in: RefundState.reviewKeys)
        #expect(state.refund?.stage == .form && state.refund?.comment.text == "strap returned" && state.refund?.fee.text == "2.50")
        _ = state.update(.key(.enter))
        let effects = state.press(.send, in: RefundState.reviewKeys)
        guard case .createCreditMemo(let request, let sent, false)? = effects.first else {
            Issue.record("no send: \(effects)")
            return
        }
        #expect(sent == plan)
        // In flight: no key sends again, none leaves.
        for key in [Key.character("y"), .enter, .escape] { #expect(state.update(.key(key)).isEmpty) }
        #expect(state.isBusy && state.refund?.isSending == true)
        // Done: the screen closes, the invoice under it reloads, the message names the memo and its figure.
        let memo = try Self.memo(plan)
        let after = state.update(
            .creditMemoCreated(
                request: request, .success(CreatedCreditMemo(memo: memo, number: "100000001", reference: .make(), reconciled: false))))
        #expect(state.refund == nil)
        #expect(after.contains { if case .loadDetail(_, 456) = $0 { true } else { false } })
        #expect(state.message?.kind == .success)
        #expect(
            state.message?.text.hasPrefix(
                "done · credit memo 100000001 · invoice 100000045 · refunded \(Money(plan.preview.grandTotal.order, "EUR")) offline")
                == true)
    }

    /// The store's answer as a credit memo, with the plan's figures (`total` to book another).
    static func memo(_ plan: RefundPlan, total: Decimal? = nil, emailSent: Bool = true) throws -> CreditMemo {
        let p = plan.preview
        let json = """
            {"entity_id": 1, "increment_id": "100000001", "invoice_id": \(plan.source.invoiceId), "order_currency_code": "EUR",
             "base_currency_code": "USD", "refund_type": "\(plan.refundType.rawValue)", "email_sent": \(emailSent ? 1 : 0),
             "grand_total": "\(total ?? p.grandTotal.order)", "base_grand_total": "\(p.grandTotal.base)"}
            """
        return try JSONDecoder().decode(CreditMemo.self, from: Data(json.utf8))
    }

    /// Refused: the form exactly as it was. Unknown: never re-armed; the
    /// invoice is read again as the store has it, the writes are checked,
    /// and a refund found booked reads it again keeping what was typed.
    @Test func refusedKeepsTheFormUnknownNeverReArms() throws {
        let source = try StoreFixtures.refund456
        var state = try Self.refunding(source)
        guard Self.reviewed(&state) != nil, case .createCreditMemo(let request, _, _)? = state.update(.key(.enter)).first else {
            Issue.record("no send")
            return
        }
        _ = state.update(.creditMemoCreated(request: request, .failure(.refused(message: "Payment gateway error", detail: nil))))
        #expect(state.refund?.stage == .form && state.refund?.problem?.contains("Payment gateway error") == true)
        #expect(state.refund?.picker.quantity(source.lines[0].orderItemId) == 1)
        // Unknown.
        _ = state.update(.key(.enter))
        guard case .createCreditMemo(let second, _, _)? = state.update(.key(.enter)).first else {
            Issue.record("no second send")
            return
        }
        let reference = OperationReference.make()
        let effects = state.update(
            .creditMemoCreated(
                request: second,
                .failure(.outcomeUnknown(what: "a refund from invoice 100000045", reference: reference.value, reason: "no answer"))))
        guard
            case .loadRefundSource(let reload, "100000045")? = effects.first(where: {
                if case .loadRefundSource = $0 { true } else { false }
            })
        else {
            Issue.record("no reload: \(effects)")
            return
        }
        #expect(effects.contains { if case .checkWrites = $0 { true } else { false } })
        #expect(state.message?.text.contains("may be booked (ref \(reference.value))") == true)
        #expect(state.render().text.contains("loading invoice 100000045"), "the old form is not shown while it reloads")
        // The store booked it after all: 1 refunded now. The form starts anew: nothing chosen.
        var booked = source
        booked.lines[0].qtyRefunded = 1
        _ = state.update(.refundSourceLoaded(request: reload, .success(booked)))
        #expect(state.refund?.stage == .form && state.refund?.picker.quantities.values.allSatisfy { $0 == 0 } == true)
        #expect(state.refund?.unknown?.reference == reference.value)
        #expect(state.render().text.contains("outcome unknown · ref \(reference.value)"))
        // Typing anew, then the check finds the refund: read again, and the form starts over
        // (what was chosen while the refund seemed lost must not become a second one).
        _ = Self.pick(&state, .allItems)
        _ = state.update(.key(.tab))
        Self.type(&state, "3")
        let found = state.tell(.writeFound(reference: reference.value))
        guard case .loadRefundSource(let again, _)? = found.first(where: { if case .loadRefundSource = $0 { true } else { false } }) else {
            Issue.record("no read after found: \(found)")
            return
        }
        var twice = booked
        twice.lines[0].qtyRefunded = 2
        _ = state.update(.refundSourceLoaded(request: again, .success(twice)))
        #expect(state.refund?.unknown == nil)
        #expect(state.refund?.picker.quantities.values.allSatisfy { $0 == 0 } == true && state.refund?.shipping.text == "")
        #expect(state.render().text.contains("Left"))
    }

    /// The check finds the refund before the reload answers: nothing of the
    /// sent plan comes back, and an answer to the older read is ignored.
    @Test func foundBeforeTheReloadAnswersNeverBringsThePlanBack() throws {
        let source = try StoreFixtures.refund456
        var state = try Self.refunding(source)
        _ = Self.pick(&state, .allItems)
        _ = state.update(.key(.tab))
        _ = state.press(.allShipping, in: RefundState.shippingKeys)
        _ = state.update(.key(.tab))
        _ = state.update(.key(.tab))
        Self.type(&state, "5")
        guard case .review? = Self.reviewedNow(&state).map({ RefundState.Stage.review($0) }),
            case .createCreditMemo(let request, _, _)? = state.update(.key(.character("y"))).first
        else {
            Issue.record("no send")
            return
        }
        let reference = OperationReference.make().value
        let effects = state.update(
            .creditMemoCreated(request: request, .failure(.outcomeUnknown(what: "a refund", reference: reference, reason: "lost"))))
        guard case .loadRefundSource(let first, _)? = effects.first(where: { if case .loadRefundSource = $0 { true } else { false } })
        else {
            Issue.record("no reload")
            return
        }
        #expect(state.refund?.picker.quantities.values.allSatisfy { $0 == 0 } == true, "dropped at once")
        #expect(state.refund?.fee.text == "" && state.refund?.shipping.text == "")
        guard case .loadRefundSource(let second, _)? = state.tell(.writeFound(reference: reference)).first else {
            Issue.record("no read after found")
            return
        }
        // The first read fails late: ignored. The second says why it failed, never the old form.
        _ = state.update(.refundSourceLoaded(request: first, .failure(.unavailable)))
        #expect(state.refund?.stage == .loading(request: second))
        _ = state.update(.refundSourceLoaded(request: second, .failure(.server(status: 503, message: "try later"))))
        let screen = state.render().text
        #expect(screen.contains("r tries again") && screen.contains("503") && !screen.contains("Refund total"), "\(screen)")
        #expect(state.press(.leave, in: RefundState.waitKeys).isEmpty && state.refund == nil)
    }

    /// Found booked while this refund was out, then refused: the figures are
    /// old, so the invoice is read again; nothing is sent anyway.
    @Test func foundWhileSendingReadsTheInvoiceAgain() throws {
        var state = try Self.refunding(try StoreFixtures.refund456)
        state.refund?.unknown = (reference: "ABCD-EFGH", reason: "lost")
        guard Self.reviewed(&state) != nil, case .createCreditMemo(let request, _, _)? = state.update(.key(.enter)).first else {
            Issue.record("no send")
            return
        }
        #expect(state.tell(.writeFound(reference: "ABCD-EFGH")).isEmpty, "not while it is out")
        let effects = state.update(
            .creditMemoCreated(request: request, .failure(.pendingWrite(what: "invoice 100000045", reference: "ABCD-EFGH"))))
        #expect(effects.contains { if case .loadRefundSource = $0 { true } else { false } })
        #expect(state.refund?.pendingConfirm == nil)
        #expect(state.message?.text.contains("found booked meanwhile") == true)
    }

    /// An earlier refund of unknown outcome on this invoice: the review stays, y sends anyway.
    @Test func aPendingRefundAsksBeforeSendingAnyway() throws {
        var state = try Self.refunding(try StoreFixtures.refund456)
        guard Self.reviewed(&state) != nil, case .createCreditMemo(let request, _, _)? = state.update(.key(.enter)).first else {
            Issue.record("no send")
            return
        }
        _ = state.update(.creditMemoCreated(request: request, .failure(.pendingWrite(what: "invoice 100000045", reference: "ABCD-EFGH"))))
        guard case .review? = state.refund?.stage else {
            Issue.record("not on the review")
            return
        }
        #expect(state.render().text.contains("ref ABCD-EFGH is still unknown: y refunds anyway"))
        guard case .createCreditMemo(let anyway, _, true)? = state.update(.key(.character("y"))).first else {
            Issue.record("no send anyway")
            return
        }
        // Again pending; Esc: back to the form, and the next send is an ordinary one.
        _ = state.update(.creditMemoCreated(request: anyway, .failure(.pendingWrite(what: "invoice 100000045", reference: "ABCD-EFGH"))))
        _ = state.press(.edit, in: RefundState.reviewKeys)
        #expect(state.refund?.pendingConfirm == nil && state.refund?.problem == nil)
        _ = state.update(.key(.enter))
        guard case .createCreditMemo(_, _, false)? = state.update(.key(.character("y"))).first else {
            Issue.record("an ordinary send")
            return
        }
    }
}
