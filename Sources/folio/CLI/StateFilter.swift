import ArgumentParser

/// `--state`: the `/api2` family's invoice states by name.
enum StateFilter: String, ClosedSetArgument {
    case open, paid, canceled

    static let option = "--state"

    /// Any case, and the British `cancelled`.
    static func word(_ text: String) -> StateFilter? {
        let lowered = text.lowercased()
        return lowered == "cancelled" ? .canceled : StateFilter(rawValue: lowered)
    }

    /// The family's filter value: 1 open, 2 paid, 3 canceled.
    var code: Int {
        switch self {
        case .open: 1
        case .paid: 2
        case .canceled: 3
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
