/// `folio invoices export --format`.
enum ExportFormat: String, ClosedSetArgument {
    case csv, jsonl

    static let option = "--format"
}
