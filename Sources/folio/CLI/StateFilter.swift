import ArgumentParser
import FolioCore

/// `--state`: the `/api2` family's invoice states by name.
enum StateFilter: String, ClosedSetArgument {
    case open, paid, canceled

    static let option = "--state"

    /// Any case, and the British `cancelled`.
    static func word(_ text: String) -> StateFilter? {
        let lowered = text.lowercased()
        return lowered == "cancelled" ? .canceled : StateFilter(rawValue: lowered)
    }

    /// The state it filters on.
    var state: InvoiceState {
        switch self {
        case .open: .open
        case .paid: .paid
        case .canceled: .canceled
        }
    }

    /// `open,paid`: the words of one `--state`, each checked.
    static func commaList(_ text: String) throws -> [StateFilter] {
        try text.split(separator: ",").map { word in
            guard let state = StateFilter(argument: String(word)) else { throw ValidationError(refusal(of: String(word))) }
            return state
        }
    }
}
