import FolioCore

/// What the CLI prints, in the parts that do no I/O: the CSV record here,
/// the terminal's and the scripts' text in `VisibleText` and `JSONText`.
/// The `folio` executable extends it with the writing (`Output.line`, `table`, `json`).
public enum Output {
    /// One CSV record (RFC 4180), safe to `cat` and to open in a spreadsheet:
    /// - store text is escaped as for the terminal (`VisibleText`), so no cell
    ///   holds a control character, a line break or a bidi override;
    /// - a cell that a spreadsheet would run as a formula — one starting with
    ///   `=`, `+`, `-`, `@`, tab or carriage return — gets a leading `'`
    ///   (OWASP's advice), which spreadsheets show as text;
    /// - except in the columns named `numeric` (money), a plain decimal such as
    ///   `-25.00` is written as it is, so that it stays a number a sheet can sum;
    ///   anything else there is guarded like text;
    /// - a cell with a comma, semicolon (the separator of some locales) or quote is
    ///   quoted, its quotes doubled. These are looked for scalar by scalar, as a
    ///   spreadsheet reads them: a quote or comma with a combining mark after it
    ///   is one `Character` that is neither, and was written bare.
    public static func csv(_ cells: [String], numeric: Set<Int> = []) -> String {
        cells.enumerated().map { i, raw in
            var cell = VisibleText.of(raw)
            if let first = cell.unicodeScalars.first, formulaStarts.contains(first),
                !(numeric.contains(i) && isPlainDecimal(cell))
            {
                cell = "'" + cell
            }
            guard cell.unicodeScalars.contains(where: { $0 == "," || $0 == ";" || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            else { return cell }
            var quoted = String.UnicodeScalarView()
            quoted.append("\"")
            for scalar in cell.unicodeScalars {
                quoted.append(scalar)
                if scalar == "\"" { quoted.append("\"") }
            }
            quoted.append("\"")
            return String(quoted)
        }.joined(separator: ",")
    }

    public static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// `-25.00`, `3`, `0.5`, `-.5`: an optional minus, digits, at most one
    /// point, digits on at least one side of it — a number to a spreadsheet.
    public static func isPlainDecimal(_ text: String) -> Bool {
        let body = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        return parts.contains { !$0.isEmpty } && parts.allSatisfy { $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }
}

/// The invoice listing as CSV (`invoices list --csv`, `invoices export`).
public enum InvoiceCSV {
    public static let header = [
        "increment_id", "order_increment_id", "state", "created_at", "billing_name",
        "customer_email", "grand_total", "currency", "base_grand_total", "base_currency", "email_sent",
    ]

    /// The money columns, written as numbers (see `Output.csv`).
    public static let moneyColumns: Set<Int> = [6, 8]

    /// Amounts exactly as the store sent them.
    public static func row(_ i: InvoiceSummary) -> String {
        Output.csv(cells(i), numeric: moneyColumns)
    }

    public static func cells(_ i: InvoiceSummary) -> [String] {
        [
            i.incrementId, i.orderIncrementId ?? "", i.state.description, i.createdAt ?? "", i.billingName ?? "",
            i.customerEmail ?? "", i.grandTotal.exact, i.grandTotal.currency, i.baseGrandTotal?.exact ?? "",
            i.baseGrandTotal?.currency ?? "", i.emailSent.map { $0 ? "1" : "0" } ?? "",
        ]
    }
}
