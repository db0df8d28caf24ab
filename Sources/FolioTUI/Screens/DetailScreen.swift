import FolioCore
import FolioTerminal

/// One invoice, everything on one screen: what a clerk reads while the
/// customer waits. State, keys, update and render live here; the layout of
/// the content is `Document(invoice:)`.
public struct DetailState: Sendable {
    /// The invoice asked for (its number is shown while it loads).
    public var id: Int64
    public var number: String
    public var detail: InvoiceDetail?
    public var loading: Int?
    public var scroll = 0
    /// `n`/`p` crossed a page: open the selected row when the page arrives.
    public var followsList = false
    /// The laid-out content and the width it was laid out for.
    var document: Document?

    init(id: Int64, number: String) {
        self.id = id
        self.number = number
    }
}

/// The keys every scrolling screen shares.
public enum ScrollMove: Sendable, Equatable { case up, down, pageUp, pageDown, top, bottom }

public enum DetailAction: Sendable, Equatable {
    case scroll(ScrollMove)
    case next, previous, copy, email, order, create, reload, help, back
}

extension DetailState {
    public static let keymap = Keymap<DetailAction>([
        Binding([.down, .character("j")], .scroll(.down), "scroll down", hint: "scroll"),
        Binding([.up, .character("k")], .scroll(.up), "scroll up"),
        Binding([.pageDown, .character(" ")], .scroll(.pageDown), "a screen down"),
        Binding([.pageUp], .scroll(.pageUp), "a screen up"),
        Binding([.home, .character("g")], .scroll(.top), "to the top"),
        Binding([.end, .character("G")], .scroll(.bottom), "to the bottom"),
        Binding([.character("n")], .next, "next invoice of the list", hint: "next"),
        Binding([.character("p")], .previous, "previous invoice of the list", hint: "prev"),
        Binding([.character("e")], .email, "resend the invoice email", hint: "email"),
        Binding([.character("y")], .copy, "copy the invoice number (OSC 52, works over ssh and tmux)", hint: "copy"),
        Binding([.character("o")], .order, "the order, read-only"),
        Binding([.character("c")], .create, "invoice more of this order"),
        Binding([.character("R")], .reload, "reload (and retry after an error)"),
        Binding([.character("?")], .help, "this help", hint: "help"),
        Binding([.escape, .character("q")], .back, "back to the list, same row and filters", hint: "back"),
    ])
}

extension AppState {
    /// Opens the detail of the list's selected invoice.
    mutating func openSelected() -> [Effect] {
        guard let invoice = list.selectedInvoice else { return [] }
        detail = DetailState(id: invoice.id, number: invoice.incrementId)
        return loadDetail()
    }

    mutating func loadDetail() -> [Effect] {
        guard var screen = detail else { return [] }
        let request = nextRequest()
        screen.loading = request
        detail = screen
        return [.loadDetail(request: request, id: screen.id)]
    }

    mutating func updateDetail(_ action: DetailAction) -> [Effect] {
        guard var screen = detail else { return [] }
        switch action {
        case .scroll(let move):
            screen.scroll = scrolled(screen.scroll, move, lines: screen.document?.lines.count ?? 0)
        case .next, .previous:
            let forward = action == .next
            let index = list.selected + (forward ? 1 : -1)
            guard list.rows.indices.contains(index) else {
                // Past the page: the list turns it (landing on its first or
                // last row) and the detail follows when it arrives.
                let turn = updateList(forward ? .down : .up)
                guard !turn.isEmpty else {
                    message = StatusMessage(.info, forward ? "this is the last invoice of the list" : "this is the first invoice of the list")
                    return []
                }
                screen.followsList = true
                detail = screen
                return turn
            }
            list.selected = index
            return openSelected()
        case .copy:
            message = StatusMessage(.success, "copied \(screen.number) to the clipboard")
            return [.copy(text: screen.number)]
        case .email:
            guard let loaded = screen.detail else { return [] }
            overlay = .email(EmailDialog(invoiceId: loaded.id, number: loaded.incrementId, recipient: loaded.customerEmail))
            return []
        case .order:
            return openOrder()
        case .create:
            guard let number = screen.detail?.orderIncrementId else { return [] }
            return startCreate(orderNumber: number)
        case .reload:
            message = nil
            return loadDetail()
        case .help:
            overlay = .help(HelpState(title: "Invoice — keys", lines: DetailState.keymap.helpLines + HelpState.everywhere))
        case .back:
            detail = nil
            return []
        }
        detail = screen
        return []
    }

    mutating func detailLoaded(_ request: Int, _ result: Result<InvoiceDetail, FolioError>) -> [Effect] {
        guard var screen = detail, screen.loading == request else { return [] }
        screen.loading = nil
        switch result {
        case .success(let invoice):
            if message?.kind == .error { message = nil }
            if screen.detail?.id != invoice.id { screen.scroll = 0 }
            screen.detail = invoice
            screen.number = invoice.incrementId
            screen.document = Document(invoice: invoice, width: width, glyphs: look.glyphs)
        case .failure(let error):
            message = StatusMessage(.error, error.message + " — R to retry, Esc for the list")
        }
        detail = screen
        return []
    }

    /// A new width lays the content out again (addresses go side by side at 100).
    mutating func relayDetail() {
        guard var screen = detail, let invoice = screen.detail else { return }
        screen.document = Document(invoice: invoice, width: width, glyphs: look.glyphs)
        screen.scroll = clampedScroll(screen.scroll, lines: screen.document?.lines.count ?? 0)
        detail = screen
    }

    func renderDetail(_ screen: DetailState, into canvas: inout Canvas) {
        // Where it sits in the list (not shown for an invoice opened from elsewhere, e.g. just created).
        let position = list.selectedInvoice?.id == screen.id ? " \(list.selected + 1)/\(list.rows.count) on page \(list.page) " : ""
        renderDocumentScreen(title: "invoice \(screen.number)", position: position, document: screen.document, scroll: screen.scroll,
                             waiting: screen.loading != nil ? "loading invoice \(screen.number)…"
                                                            : "invoice \(screen.number) could not be loaded — R to retry",
                             into: &canvas)
    }
}

extension AppState {
    /// Rows between the header and the status bar, for a scrolling screen.
    var bodyHeight: Int { max(0, height - 2) }

    func clampedScroll(_ scroll: Int, lines: Int) -> Int { max(0, min(scroll, lines - bodyHeight)) }

    /// The first line shown after a scrolling key, kept within the content.
    func scrolled(_ scroll: Int, _ move: ScrollMove, lines: Int) -> Int {
        let page = max(1, bodyHeight - 1)
        let target = switch move {
        case .down: scroll + 1
        case .up: scroll - 1
        case .pageDown: scroll + page
        case .pageUp: scroll - page
        case .top: 0
        case .bottom: lines
        }
        return clampedScroll(target, lines: lines)
    }

    /// A header, a scrolled document (or what it is waiting for), and
    /// markers at the right edge when there is more above or below.
    func renderDocumentScreen(title: String, position: String, document: Document?, scroll: Int, waiting: String,
                              into canvas: inout Canvas) {
        let style = look[.header]
        canvas.fill(Rect(x: 0, y: 0, width: width, height: 1), style: style)
        let g = look.glyphs
        // The title (which invoice, which order) comes first on a narrow
        // terminal: "Folio ·" and the position in the list give way to it.
        let titles = [" Folio \(g.separator) \(context) \(g.vertical) \(title)", " \(context) \(g.vertical) \(title)"]
        let positions = [position, position.split(separator: " ").first.map { " \($0) " } ?? "", ""]
        let (left, right) = titles.lazy.flatMap { t in positions.map { (t, $0) } }
            .first { TextWidth.of($0.0) + TextWidth.of($0.1) <= width } ?? (titles[1], "")
        canvas.clipped(left, x: 0, y: 0, width: width - TextWidth.of(right), style: style, look: look)
        canvas.clipped(right, x: max(0, width - TextWidth.of(right)), y: 0, width: TextWidth.of(right), style: style, look: look)
        let body = Rect(x: 0, y: 1, width: width, height: bodyHeight)
        canvas.fill(body, style: look[.text])
        guard let document else {
            canvas.clipped(waiting, x: 2, y: body.y + min(1, body.height - 1), width: width - 4, style: look[.muted], look: look)
            return
        }
        document.draw(into: &canvas, area: body, first: scroll, look: look)
        if scroll + body.height < document.lines.count { canvas.text(g.down, x: width - 2, y: body.maxY - 1, style: look[.accent]) }
        if scroll > 0 { canvas.text(g.up, x: width - 2, y: body.y, style: look[.accent]) }
    }
}
