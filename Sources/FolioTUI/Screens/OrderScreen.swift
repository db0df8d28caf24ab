import FolioCore
import FolioTerminal

/// `o` on an invoice: its order, read-only — for each item what was ordered,
/// invoiced, canceled and what remains to invoice. State, keys, update and
/// render live here.
public struct OrderViewState: Sendable {
    public var id: Int64
    public var number: String
    public var order: Order?
    public var loading: Int?
    public var scroll = 0
    var document: Document?
}

public enum OrderAction: Sendable, Equatable { case scroll(ScrollMove), reload, help, back }

extension OrderViewState {
    public static let keymap = Keymap<OrderAction>([
        Binding([.down, .character("j")], .scroll(.down), "scroll down", hint: "scroll"),
        Binding([.up, .character("k")], .scroll(.up), "scroll up"),
        Binding([.pageDown, .character(" ")], .scroll(.pageDown), "a screen down"),
        Binding([.pageUp], .scroll(.pageUp), "a screen up"),
        Binding([.home, .character("g")], .scroll(.top), "to the top"),
        Binding([.end, .character("G")], .scroll(.bottom), "to the bottom"),
        Binding([.character("R")], .reload, "reload"),
        Binding([.character("?")], .help, "this help", hint: "help"),
        Binding([.escape, .character("q"), .character("o")], .back, "back to the invoice", hint: "back"),
    ])
}

extension Document {
    init(order o: Order, width: Int, glyphs: Glyphs) {
        self.init(width: width, glyphs: glyphs)
        let sep = " \(glyphs.separator) "
        line([("Order \(o.incrementId)", .title), ("  ", .text), (o.status ?? o.state ?? "—", .accent), ("  read-only", .muted)])
        line([("Customer ", .muted), (o.customerName ?? "—", .text)] + (o.customerEmail.map { [(" <\($0)>", .text)] } ?? []))
        var facts: [(String, Theme.Slot)] = [("payment ", .muted), (o.paymentMethod ?? "—", .text), (sep + "currency ", .muted),
                                             (o.currency, .text)]
        if o.baseCurrency != o.currency { facts += [(" (base \(o.baseCurrency))", .muted)] }
        if let date = o.createdAt { facts += [(sep + "ordered ", .muted), (date, .text)] }
        line(facts)
        if let total = o.grandTotal {
            line([("Grand total ", .muted), (total.description, .text)]
                 + (o.baseCurrency != o.currency ? o.baseGrandTotal.map { [(" (\($0.description))", .muted)] } ?? [] : []))
        }
        blank()
        line([("Items (\(o.items.count))", .title)])
        let sku = o.items.reduce(3) { max($0, TextWidth.of($1.sku)) }
        table(titles: ["SKU", "Name", "Price", "Ordered", "Invoiced", "Canceled", "Remaining"],
              rows: o.items.map { i in
                  [i.sku, i.name, i.price?.description ?? "—", Document.quantity(i.qtyOrdered), Document.quantity(i.qtyInvoiced),
                   Document.quantity(i.qtyCanceled), Document.quantity(i.qtyToInvoice)]
              },
              columns: [
                  .init(minimum: min(sku, 14), maximum: sku, flex: 1, priority: 2),
                  .init(minimum: 10, maximum: 80, flex: 4, priority: 1),
                  .init(minimum: 5, priority: 5, alignRight: true),
                  .init(minimum: 7, priority: 0, alignRight: true),
                  .init(minimum: 8, priority: 0, alignRight: true),
                  .init(minimum: 8, priority: 3, alignRight: true),
                  .init(minimum: 9, priority: 0, alignRight: true),
              ],
              notes: o.items.map { item in
                  [item.productType.flatMap { $0 == "simple" ? nil : $0 }, item.isQtyDecimal ? "decimal quantities" : nil]
                      .compactMap { $0 }.joined(separator: " \(glyphs.separator) ")
              },
              slot: { row, column in
                  guard column == 6 else { return .text }
                  return o.items[row].qtyToInvoice > 0 ? .accent : .muted
              })
    }
}

extension AppState {
    mutating func openOrder() -> [Effect] {
        guard let invoice = detail?.detail, let id = invoice.orderId else {
            message = StatusMessage(.info, "this invoice names no order")
            return []
        }
        order = OrderViewState(id: id, number: invoice.orderIncrementId ?? String(id))
        return loadOrder()
    }

    mutating func loadOrder() -> [Effect] {
        guard var screen = order else { return [] }
        let request = nextRequest()
        screen.loading = request
        order = screen
        return [.loadOrder(request: request, id: screen.id)]
    }

    mutating func updateOrder(_ action: OrderAction) -> [Effect] {
        guard var screen = order else { return [] }
        switch action {
        case .scroll(let move):
            screen.scroll = scrolled(screen.scroll, move, lines: screen.document?.lines.count ?? 0)
        case .reload:
            message = nil
            return loadOrder()
        case .help:
            overlay = .help(HelpState(title: "Order — keys", lines: OrderViewState.keymap.helpLines + HelpState.everywhere))
        case .back:
            order = nil
            return []
        }
        order = screen
        return []
    }

    mutating func orderLoaded(_ request: Int, _ result: Result<Order, FolioError>) -> [Effect] {
        guard var screen = order, screen.loading == request else { return [] }
        screen.loading = nil
        switch result {
        case .success(let loaded):
            if message?.kind == .error { message = nil }
            screen.order = loaded
            screen.number = loaded.incrementId
            screen.document = Document(order: loaded, width: width, glyphs: look.glyphs)
        case .failure(let error):
            message = StatusMessage(.error, error.message + " — R to retry, Esc for the invoice")
        }
        order = screen
        return []
    }

    mutating func relayOrder() {
        guard var screen = order, let loaded = screen.order else { return }
        screen.document = Document(order: loaded, width: width, glyphs: look.glyphs)
        screen.scroll = clampedScroll(screen.scroll, lines: screen.document?.lines.count ?? 0)
        order = screen
    }

    func renderOrder(_ screen: OrderViewState, into canvas: inout Canvas) {
        renderDocumentScreen(title: "order \(screen.number)", position: "", document: screen.document, scroll: screen.scroll,
                             waiting: screen.loading != nil ? "loading order \(screen.number)…"
                                                            : "order \(screen.number) could not be loaded — R to retry",
                             into: &canvas)
    }
}
