import FolioTerminal

extension AppState {
    /// Pasted text goes into the text field that has the cursor, as text
    /// (one line: newlines and tabs become spaces). It never presses a key:
    /// outside a text field it is dropped with a note, so a pasted `y` or
    /// newline can neither send an invoice nor quit.
    mutating func paste(_ text: String) -> [Effect] {
        guard !isTooSmall else { return [] }
        if pasteIntoField(text) { return [] }
        if message?.kind != .error { message = StatusMessage(.info, "paste ignored: nothing here takes text") }
        return []
    }

    /// Puts the text into the focused field; false when no field has the cursor.
    private mutating func pasteIntoField(_ text: String) -> Bool {
        if let overlay {
            switch overlay {
            case .search(var editor):
                editor.paste(text)
                self.overlay = .search(editor)
            case .email(var dialog) where dialog.sending == nil:
                dialog.comment.paste(text)
                self.overlay = .email(dialog)
            case .dateRange(var dialog):
                dialog.paste(text)
                self.overlay = .dateRange(dialog)
            case .writes(var dialog) where dialog.note != nil:
                dialog.note?.paste(text)
                self.overlay = .writes(dialog)
            default:
                return false
            }
            return true
        }
        guard var screen = create else { return false }
        switch screen.stage {
        case .askOrder:
            screen.pick = nil
            screen.orderNumber.paste(text)
        case .form where screen.focus == .comment:
            screen.comment.paste(text)
        default:
            return false
        }
        create = screen
        return true
    }
}

extension DateRangeDialog {
    /// A pasted date goes into the date being typed (the typed range is chosen).
    mutating func paste(_ text: String) {
        selected = .typed
        problem = nil
        if editingTo { to.paste(text) } else { from.paste(text) }
    }
}
