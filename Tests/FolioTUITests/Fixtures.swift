import FolioCore
import FolioTerminal
import Foundation
import Testing

@testable import FolioTUI

/// Invoices and states for screen tests: the documents' invoice, a CJK
/// name, a very long one, and plain rows to fill pages.
enum Fixtures {
    static let today = CivilDate(year: 2026, month: 11, day: 21)
    /// A fresh write journal for one test (never the user's state folder, never shared).
    static func journal() -> WriteJournal {
        WriteJournal(
            profile: "tui-tests",
            directory: FileManager.default.temporaryDirectory
                .appendingPathComponent("folio-tui-journal-\(UUID().uuidString)").path)
    }
    static func sent(_ emailSent: Bool, note: Result<AddedNote, FolioError>? = nil) -> ResendReport {
        ResendReport(resent: ResentEmail(reference: .make(), emailSent: emailSent, reconciled: false), note: note)
    }

    static func note(_ text: String) -> AddedNote {
        let reference = OperationReference.make()
        return AddedNote(
            entry: OrderHistoryEntry(
                id: 99, comment: reference.marked(text), status: nil, isCustomerNotified: false, isVisibleOnFront: false,
                createdAt: "2026-11-29 09:00:00", source: "integration"),
            reference: reference, reconciled: false)
    }

    /// Opens the resend dialog on the selected invoice and answers its look at the history.
    static func openEmail(_ state: inout AppState, last: LastSend? = nil) {
        let effects = state.update(.key(.character("e")))
        guard case .checkResend(let request, _, _, _, _, _)? = effects.first else {
            Issue.record("the resend dialog did not look at the history: \(effects)")
            return
        }
        _ = state.update(.resendChecked(request: request, ResendCheck(last: last)))
    }

    static func invoice(
        _ n: Int, name: String? = nil, state: InvoiceState = .paid, total: Decimal = 118.04,
        currency: String = "EUR", emailSent: Bool? = true
    ) -> InvoiceSummary {
        InvoiceSummary(
            id: Int64(n), incrementId: String(100_000_000 + n), orderId: Int64(n + 100),
            orderIncrementId: String(100_000_100 + n), state: state, grandTotal: Money(total, currency),
            emailSent: emailSent, billingName: name ?? "Customer \(n)",
            createdAt: String(format: "2026-11-%02d 09:%02d:00", 1 + n % 20, n % 60))
    }

    static let special: [InvoiceSummary] = [
        invoice(45, name: "Ana Müller", state: .paid, total: 118.04),
        invoice(44, name: "山田 太郎 (ヤマダ)", state: .open, total: 21894, currency: "JPY"),
        invoice(
            43, name: "Maximilian-Alexander von Hohenzollern-Sigmaringen-Württemberg", state: .canceled,
            total: 1_234_567.5, currency: "USD", emailSent: false),
    ]

    static func page(_ number: Int, of lastPage: Int, size: Int = 50, total: Int? = nil) -> Page<InvoiceSummary> {
        let first = number == 1 ? special : []
        let rest = (0..<(size - first.count)).map { invoice(1000 - (number - 1) * size - $0) }
        return Page(
            items: first + rest, page: number, limit: size, total: total ?? lastPage * size,
            lastPage: lastPage, hasNext: number < lastPage)
    }

    /// A list that asked for its first page and got it.
    static func loaded(
        width: Int = 80, height: Int = 24, page: Page<InvoiceSummary>? = nil,
        look: Look = Look()
    ) -> AppState {
        var state = AppState(width: width, height: height, look: look, context: "shop", today: today)
        let effects = state.update(.key(.character("R")))
        guard case .loadPage(let request, _, _)? = effects.first else { fatalError("no load") }
        _ = state.update(.pageLoaded(request: request, .success(page ?? Fixtures.page(1, of: 4))))
        return state
    }

    /// The request number of the only page load among `effects`.
    static func loadRequest(_ effects: [Effect]) -> (request: Int, query: InvoiceQuery)? {
        for case .loadPage(let request, let query, _) in effects { return (request, query) }
        return nil
    }
}

/// Compares `text` with the snapshot file `Snapshots/FILE`. With
/// FOLIO_UPDATE_SNAPSHOTS=1 the file is written instead (review the diff).
func expectSnapshotFile(_ text: String, _ file: String, sourceLocation: SourceLocation) throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots/\(file)")
    if ProcessInfo.processInfo.environment["FOLIO_UPDATE_SNAPSHOTS"] == "1" {
        try text.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        Issue.record("no snapshot \(file) — run with FOLIO_UPDATE_SNAPSHOTS=1 and review it", sourceLocation: sourceLocation)
        return
    }
    #expect(text == expected, "differs from Snapshots/\(file):\n\(text)", sourceLocation: sourceLocation)
}

/// Compares a screen's text with `Snapshots/NAME.txt`.
func expectSnapshot(_ canvas: Canvas, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    try expectSnapshotFile(canvas.text + "\n", "\(name).txt", sourceLocation: sourceLocation)
}

/// The style layer of a screen: a letter a cell for the theme slot whose
/// style it has (`.` text, `H` header, `T` title, `A` accent, `S` selection,
/// `B` border, `M` muted, `E` error, `W` warning, `K` success, `Z` status bar,
/// `o` `p` `c` the open, paid and canceled badges, `z` a key in the status
/// bar (its style in bold), `?` a style of no slot).
/// Slots that share a style in the theme share the first slot's letter.
func styleLayer(_ canvas: Canvas, theme: Theme) -> String {
    let letters: [(Theme.Slot, Character)] = [
        (.text, "."), (.header, "H"), (.title, "T"), (.accent, "A"), (.selection, "S"), (.border, "B"), (.muted, "M"),
        (.error, "E"), (.warning, "W"), (.success, "K"), (.statusBar, "Z"), (.stateOpen, "o"), (.statePaid, "p"),
        (.stateCanceled, "c"),
    ]
    return (0..<canvas.height).map { y in
        String(
            (0..<canvas.width).map { x in
                let style = canvas[x, y].style
                if let letter = letters.first(where: { theme[$0.0] == style })?.1 { return letter }
                var key = theme[.statusBar]
                key.attributes.insert(.bold)
                return style == key ? "z" : "?"
            })
    }.joined(separator: "\n")
}

/// A styled snapshot: `Snapshots/NAME.txt` holds the text and
/// `Snapshots/NAME.styles.txt` the style layer, so a change of colour shows
/// in review as a change of letters.
func expectStyledSnapshot(
    _ canvas: Canvas, _ name: String, theme: Theme = Look().theme,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    try expectSnapshot(canvas, name, sourceLocation: sourceLocation)
    try expectSnapshotFile(styleLayer(canvas, theme: theme) + "\n", "\(name).styles.txt", sourceLocation: sourceLocation)
}

/// Pressing actions by name: the key comes from the room's own table, so a
/// rebinding moves the tests with it.
extension AppState {
    mutating func press<Action>(
        _ action: Action, in keymap: Keymap<Action>,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> [Effect] {
        guard let key = keymap.keys(for: action).first else {
            Issue.record("no key for \(action)", sourceLocation: sourceLocation)
            return []
        }
        return update(.key(key))
    }

    mutating func press(_ action: GenericAction, sourceLocation: SourceLocation = #_sourceLocation) -> [Effect] {
        press(action, in: GenericAction.keymap, sourceLocation: sourceLocation)
    }
}
