import FolioCore
import FolioTerminal

extension AppState {
    /// The one place state changes: an event in, effects out. Pure: no I/O,
    /// no clock, no randomness — the runtime does those and sends events back.
    public mutating func update(_ event: Event) -> [Effect] {
        let effects: [Effect]
        switch event {
        case .resize(let width, let height):
            self.width = width
            self.height = height
            relayDetail()
            relayOrder()
            effects = []
        case .tick:
            spinner &+= 1
            effects = []
        case .pageLoaded(let request, let result):
            effects = pageLoaded(request, result)
        case .searched(let request, let result):
            effects = searched(request, result)
        case .detailLoaded(let request, let result):
            effects = detailLoaded(request, result)
        case .orderLoaded(let request, let result):
            effects = orderLoaded(request, result)
        case .createOrderLoaded(let request, let result):
            effects = createOrderLoaded(request, result)
        case .invoiceableOrdersLoaded(let request, let result):
            effects = invoiceableOrdersLoaded(request, result)
        case .invoiceCreated(let request, let result):
            effects = invoiceCreated(request, result)
        case .orderInvoicesLoaded(let request, let result):
            effects = orderInvoicesLoaded(request, result)
        case .emailSent(let request, let result):
            effects = emailSent(request, result)
        case .writesChecked(let request, let result):
            effects = writesChecked(request, result)
        case .key(let key):
            effects = press(key)
        case .mouse(let mouse):
            effects = point(mouse)
        case .paste(let text):
            effects = paste(text)
        }
        list.top = ListState.scrolledTop(top: list.top, selected: list.selected, visible: listBodyHeight)
        return effects
    }

    private mutating func press(_ key: Key) -> [Effect] {
        // A passing note goes with the next key; an error stays until it is mended.
        if message?.kind != .error { message = nil }
        if key == .control("l") { return [.redraw] }
        if isTooSmall {
            return key == .character("q") || key == .escape ? [.quit(status: 0)] : []
        }
        if let overlay { return press(key, on: overlay) }
        if key == .character("W"), create == nil || create?.takesText == false {
            overlay = .writes(WritesDialog())
            return writes.checking == nil ? checkWrites() : []
        }
        if key == .character("m"), create == nil || create?.takesText == false { return showMessage() }
        if create != nil { return updateCreate(key) }
        if order != nil {
            guard let action = OrderViewState.keymap.action(for: key) else { return [] }
            return updateOrder(action)
        }
        if detail != nil {
            guard let action = DetailState.keymap.action(for: key) else { return [] }
            return updateDetail(action)
        }
        guard let action = ListState.keymap.action(for: key) else { return [] }
        return updateList(action)
    }

    private mutating func press(_ key: Key, on overlay: Overlay) -> [Effect] {
        switch overlay {
        case .writes(let dialog):
            return press(key, writesDialog: dialog)
        case .message(var dialog):
            let (box, textWidth) = MessageDialog.frame(in: bodyArea, text: dialog.text)
            let lines = MessageDialog.wrap(dialog.text, width: textWidth).count
            self.overlay = dialog.handle(key, visible: max(0, box.height - 3), lines: lines) ? .message(dialog) : nil
            return []
        case .help(var help):
            let visible = HelpState.frame(in: bodyArea, lines: help.lines.count).height - 2
            self.overlay = help.handle(key, visible: visible) ? .help(help) : nil
            return []
        case .search(var editor):
            switch key {
            case .escape:
                self.overlay = nil
                return []
            case .enter:
                self.overlay = nil
                return startSearch(editor.text)
            default:
                _ = editor.handle(key)
                self.overlay = .search(editor)
                return []
            }
        case .sort(var menu):
            switch menu.handle(key) {
            case .stay:
                self.overlay = .sort(menu)
                return []
            case .cancel:
                self.overlay = nil
                return []
            case .choose(let field):
                self.overlay = nil
                var query = list.query
                query.sort = field
                return loadList(query.onPage(1), landing: .first)
            }
        case .email(var dialog):
            switch dialog.handle(key) {
            case .stay:
                self.overlay = .email(dialog)
                return []
            case .cancel:
                self.overlay = nil
                return []
            case .send:
                let request = nextRequest()
                dialog.sending = request
                dialog.problem = nil
                self.overlay = .email(dialog)
                return [.sendEmail(request: request, invoiceId: dialog.invoiceId, number: dialog.number,
                                   comment: dialog.comment.text, evenIfPending: dialog.pendingConfirm != nil)]
            }
        case .dateRange(var dialog):
            switch dialog.handle(key) {
            case .stay:
                self.overlay = .dateRange(dialog)
                return []
            case .cancel:
                self.overlay = nil
                return []
            case .apply(let from, let to, let label):
                self.overlay = nil
                var query = list.query
                query.createdFrom = from
                query.createdTo = to
                list.dateLabel = label
                return loadList(query.onPage(1), landing: .first)
            }
        }
    }

    /// The mouse (when switched on): a click picks a row, the wheel moves
    /// the selection as the arrow keys do. Dialogs keep to the keyboard.
    private mutating func point(_ mouse: Mouse) -> [Effect] {
        guard overlay == nil, detail == nil, create == nil, !isTooSmall else { return [] }
        switch mouse.action {
        case .wheelUp, .wheelDown:
            // Three rows a notch; at the edge of the page, one page turn (not one per notch).
            let down = mouse.action == .wheelDown
            for _ in 0..<3 {
                if down ? list.selected + 1 < list.rows.count : list.selected > 0 {
                    list.selected += down ? 1 : -1
                } else {
                    return list.loading == nil ? updateList(down ? .down : .up) : []
                }
            }
            return []
        case .click:
            let index = ListState.scrolledTop(top: list.top, selected: list.selected, visible: listBodyHeight) + mouse.y - 2
            if mouse.y >= 2, mouse.y < height - 1, list.rows.indices.contains(index) { list.selected = index }
            return []
        }
    }

    var isTooSmall: Bool { width < AppState.minimumSize.width || height < AppState.minimumSize.height }

    /// The screen between the header and the status bar.
    var bodyArea: Rect { Rect(x: 0, y: 1, width: width, height: max(0, height - 2)) }
}
