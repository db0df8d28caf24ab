import FolioCore
import FolioTerminal
import Foundation

/// The refund screen's update: what each action does, and the answers to
/// its requests (the invoice as a refund sees it; the credit memo itself:
/// done, refused or unknown).
extension RefundState {
    mutating func opened(_ desk: inout Desk) -> [Effect] { load(&desk) }

    /// Reads the invoice as the store has it now (the form starts anew once it is in).
    private mutating func load(_ desk: inout Desk) -> [Effect] {
        let request = desk.request()
        stage = .loading(request: request)
        pendingConfirm = nil
        foundWhileSending = false
        return [.loadRefundSource(request: request, invoiceNumber: invoiceNumber)]
    }

    /// The text field that has the cursor, if one has it.
    private var field: WritableKeyPath<RefundState, LineEditor>? {
        guard stage == .form else { return nil }
        switch focus {
        case .shipping: return \.shipping
        case .credit: return \.credit
        case .fee: return \.fee
        case .comment: return \.comment
        default: return nil
        }
    }

    mutating func type(_ key: Key) -> Bool {
        guard let field else { return false }
        return self[keyPath: field].handle(key)
    }

    mutating func paste(_ text: String) -> Bool {
        guard let field else { return false }
        self[keyPath: field].paste(text)
        return true
    }

    mutating func perform(_ action: RefundAction, _ desk: inout Desk) -> [Effect] {
        switch action {
        case .leave: desk.close()
        case .quit: return [.quit(status: 0)]
        case .reload: return load(&desk)
        case .nextField, .previousField:
            let all = Focus.allCases
            let index = all.firstIndex(of: focus) ?? 0
            focus = all[(index + (action == .nextField ? 1 : all.count - 1)) % all.count]
            picker.endTyping()
        case .pick(let move):
            switch picker.apply(move, key: desk.key) {
            case .unchanged: break
            case .taken: problem = nil
            case .refused(let why): problem = why
            }
        case .allShipping:
            guard let source else { return [] }
            let digits = CurrencyInfo.of(source.currency).minorDigits
            shipping = LineEditor(prompt: shipping.prompt, text: source.refundableShipping.plainText(places: digits), maxLength: 24)
        case .nextType:
            if refundType == .offline, let why = onlineRefusal {
                problem = why
            } else {
                refundType = refundType == .offline ? .online : .offline
                problem = nil
            }
        case .toggleEmail:
            sendEmail.toggle()
        case .review:
            do throws(FolioError) {
                stage = .review(try plan())
                picker.endTyping()
                reviewScroll = 0
                problem = nil
            } catch {
                problem = error.message
            }
        case .send:
            guard case .review(let plan) = stage else { return [] }
            let request = desk.request()
            stage = .sending(request: request, plan)
            let anyway = pendingConfirm != nil
            pendingConfirm = nil
            return [.createCreditMemo(request: request, plan: plan, evenIfPending: anyway)]
        case .edit:
            stage = .form
            if pendingConfirm != nil { problem = nil }
            pendingConfirm = nil
        case .scrollDown:
            guard case .review(let plan) = stage else { return [] }
            reviewScroll = ReviewBox.scrolled(reviewScroll, by: 1, lines: plan.summary.count, body: desk.body)
        case .scrollUp:
            reviewScroll = max(0, reviewScroll - 1)
        }
        return []
    }

    mutating func receive(_ event: Event, _ desk: inout Desk) -> [Effect] {
        switch event {
        case .refundSourceLoaded(let request, let result) where stage == .loading(request: request):
            switch result {
            case .success(let loaded): take(loaded)
            case .failure(let error): stage = .unloaded(error.message)
            }
        case .creditMemoCreated(let request, let result):
            guard case .sending(request, let plan) = stage else { return [] }
            return refunded(plan, result, &desk)
        default:
            break
        }
        return []
    }

    private mutating func refunded(_ plan: RefundPlan, _ result: Result<CreatedCreditMemo, FolioError>, _ desk: inout Desk) -> [Effect] {
        let currency = plan.source.currency
        switch result {
        case .success(let created):
            var text = "done · credit memo \(created.number) · invoice \(plan.source.invoiceNumber)"
            var kind = StatusMessage.Kind.success
            if let memo = created.memo {
                text += " · refunded \(Money(memo.grandTotal.order, currency)) \(plan.refundType.rawValue)"
                if memo.grandTotal != plan.preview.grandTotal {
                    kind = .warning
                    text += " — the review said \(Money(plan.preview.grandTotal.order, currency)); the store's figure stands"
                }
                if plan.sendEmail && memo.emailSent == false {
                    kind = .warning
                    text += " — the email was not sent"
                }
            } else {
                text += " · confirmed on the store by its reference (its figure is in the order's history)"
            }
            desk.message = StatusMessage(kind, text + " · ref \(created.reference)")
            desk.close()
            desk.tell(.invoiceChanged(id: plan.source.invoiceId))
            return []
        case .failure(.earlierWriteDone(let what, let outcome, let reference)):
            // The earlier refund is booked: this plan was made before it. Reload; choose again.
            unknown = nil
            desk.message = StatusMessage(
                .warning, "the earlier refund from \(what) was done after all: \(outcome) (ref \(reference)) — the invoice is reloaded")
            desk.checkWrites()
            return load(&desk)
        case .failure(let error) where foundWhileSending && !Self.isUnknown(error):
            // Found booked while this one was out: its figures are old. Read the invoice again.
            desk.message = StatusMessage(
                .warning,
                "not refunded (\(error.message)) — the earlier refund was found booked meanwhile; the invoice is read again, choose anew")
            desk.checkWrites()
            return load(&desk)
        case .failure(.pendingWrite(let what, let reference)):
            // Stay on the review: the clerk checks the order, then decides.
            stage = .review(plan)
            pendingConfirm = reference
            problem = "\(what) has a refund of unknown outcome (ref \(reference)) — check the order (o); y sends anyway, Esc goes back"
            desk.checkWrites()
            return []
        case .failure(.outcomeUnknown(let what, let reference, let reason)):
            // Never re-arm the plan: drop it now, and read the invoice as the store has it.
            clearForm()
            unknown = (reference, reason)
            problem = nil
            desk.message = StatusMessage(
                .warning, "outcome unknown: \(what) may be booked (ref \(reference)) — Folio keeps looking; W shows it")
            desk.checkWrites(restart: true)
            return load(&desk)
        case .failure(let error):
            // Refused: nothing was done; the form stays as it was.
            stage = .form
            problem = error.message
            return []
        }
    }

    private static func isUnknown(_ error: FolioError) -> Bool { if case .outcomeUnknown = error { true } else { false } }

    mutating func notice(_ notice: Notice, _ desk: inout Desk) -> [Effect] {
        guard case .writeFound(let reference) = notice, unknown?.reference == reference else { return [] }
        unknown = nil
        // Found booked, perhaps after the invoice was read: what is left may
        // have changed since. Read it again (the form starts anew: what was
        // chosen while the refund seemed lost must not become a second one).
        if isSending {
            foundWhileSending = true
            return []
        }
        desk.message = StatusMessage(
            .info, "the refund of unknown outcome (ref \(reference)) was found booked — the invoice is read again")
        return load(&desk)
    }
}
