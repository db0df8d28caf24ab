import ArgumentParser

/// `--asc` or `--desc`; neither means the sort field's own default.
enum SortDirection: String, EnumerableFlag {
    case asc, desc

    static func help(for value: SortDirection) -> ArgumentHelp? {
        switch value {
        case .asc: "Sort ascending."
        case .desc: "Sort descending (the default for entity_id)."
        }
    }
}
