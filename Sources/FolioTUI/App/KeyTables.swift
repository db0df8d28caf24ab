/// Every key table of the program, in the order the README shows them. A
/// new room registers its tables here (one line each): `?` reads the same
/// tables, and a test fails when the README's key section and these differ.
enum KeyTables {
    struct Table: Sendable {
        let title: String
        let lines: [HelpLine]
    }

    static let all: [Table] = [
        Table(title: "on the list", lines: ListState.keymap.helpLines),
        Table(title: "on an invoice", lines: Pager.invoiceKeys.helpLines),
        Table(title: "the read-only order (`o` on an invoice)", lines: Pager.orderKeys.helpLines),
        Table(title: "creating an invoice: the order number (`c`)", lines: CreateState.askKeys.helpLines),
        Table(title: "creating an invoice: the items", lines: CreateState.itemKeys.helpLines),
        Table(title: "creating an invoice: the capture mode", lines: CreateState.captureKeys.helpLines),
        Table(title: "creating an invoice: email on create", lines: CreateState.emailKeys.helpLines),
        Table(
            title: "creating an invoice: the comment (every printable key is text, `?` and `q` too)",
            lines: CreateState.commentKeys.helpLines),
        Table(title: "reviewing a new invoice", lines: CreateState.reviewKeys.helpLines),
        Table(title: "while the new invoice is sent", lines: CreateState.sendingKeys.helpLines),
        Table(title: "refunding: loading the invoice (`R` on an invoice)", lines: RefundState.waitKeys.helpLines),
        Table(title: "refunding: the items", lines: RefundState.itemKeys.helpLines),
        Table(title: "refunding: the shipping (a typed amount; every printable key is text)", lines: RefundState.shippingKeys.helpLines),
        Table(title: "refunding: extra credit and fee (typed amounts)", lines: RefundState.amountKeys.helpLines),
        Table(title: "refunding: offline or online", lines: RefundState.typeKeys.helpLines),
        Table(title: "refunding: email the credit memo", lines: RefundState.emailKeys.helpLines),
        Table(title: "refunding: the comment (every printable key is text)", lines: RefundState.commentKeys.helpLines),
        Table(title: "reviewing a refund", lines: RefundState.reviewKeys.helpLines),
        Table(title: "while the refund is sent", lines: RefundState.sendingKeys.helpLines),
        Table(title: "search (`/`)", lines: SearchPrompt.keymap.helpLines),
        Table(title: "sort menu (`o`)", lines: SortMenu.keymap.helpLines),
        Table(title: "created dates (`d`): a preset chosen", lines: DateRangeDialog.presetKeys.helpLines),
        Table(title: "created dates (`d`): typing the dates", lines: DateRangeDialog.typedKeys.helpLines),
        Table(title: "resend the email (`e`)", lines: EmailDialog.keymap.helpLines),
        Table(title: "resend the email: why again (within the resend window)", lines: EmailDialog.reasonKeys.helpLines),
        Table(title: "while the email is sent", lines: EmailDialog.sendingKeys.helpLines),
        Table(title: "internal note (`N` on an invoice)", lines: NoteDialog.keymap.helpLines),
        Table(title: "while the note is sent", lines: NoteDialog.sendingKeys.helpLines),
        Table(title: "writes of unknown outcome (`W`)", lines: WritesDialog.listKeys.helpLines),
        Table(title: "writes of unknown outcome: the settle note", lines: WritesDialog.noteKeys.helpLines),
        Table(title: "help (`?`)", lines: HelpState.keymap.helpLines),
        Table(title: "the whole message (`m`)", lines: MessageDialog.keymap.helpLines),
        Table(title: "in every text field", lines: LineEditor.keymap.helpLines),
        Table(title: "everywhere (what a screen's own table does not bind)", lines: GenericAction.keymap.helpLines),
    ]

    /// The README's key section: one Markdown table per key table.
    static var markdown: String {
        all.map { table in
            (["| key | \(table.title) |", "| --- | --- |"]
                + table.lines.map { line in
                    let keys = line.keys.split(separator: " ").map { "`\($0)`" }.joined(separator: " ")
                    return "| \(keys) | \(line.text.replacingOccurrences(of: "|", with: "\\|")) |"
                }).joined(separator: "\n")
        }.joined(separator: "\n\n")
    }
}
