import FolioCore
import FolioTerminal

/// The order's history under an invoice: newest first, each entry saying in
/// words who it was for (internal or the customer's, notified or not), not
/// only in colour.
enum HistorySection: Sendable {
    case loading
    case loaded([OrderHistoryEntry])
    case failed(String)
}

extension Document {
    mutating func history(_ section: HistorySection) {
        switch section {
        case .loading:
            line([("History", .title), ("  loading…", .muted)])
        case .failed(let why):
            line([("History", .title), ("  did not load: ", .muted), (why, .warning), (" — r to retry", .muted)])
        case .loaded(let entries):
            line([("History (\(entries.count))", .title), ("  newest first", .muted)])
            if entries.isEmpty { line([("nothing recorded for this order yet", .muted)]) }
            for entry in entries {
                let when = entry.createdAt.map { String($0.prefix(16)) } ?? "—"
                let source = entry.source ?? "—"
                var head: [(String, Theme.Slot)] = [(when, .muted), ("  \(source)", .text), ("  \(HistoryWords.audience(entry))", .accent)]
                if let status = entry.status { head.append(("  status → \(status)", .text)) }
                line(head)
                // Line breaks kept as lines; a word longer than the line (a URL) cut across lines, not off the edge.
                for paragraph in (entry.comment ?? "").split(whereSeparator: \.isNewline) {
                    for piece in MessageDialog.wrap(String(paragraph), width: max(10, width - 6)) {
                        lines.append([Span(x: 3, text: piece, slot: .text)])
                    }
                }
            }
        }
    }
}
