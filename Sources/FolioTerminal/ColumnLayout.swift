/// Fits table columns into a width, the way a person would give up columns:
/// every shown column gets at least its minimum; when they do not all fit,
/// the least important are dropped first; what room is left is shared among
/// the flexible columns (by weight) up to their maximums.
public struct ColumnLayout: Sendable {
    public struct Column: Sendable {
        public var minimum: Int
        public var maximum: Int
        /// Share of the spare room; 0 never grows past the minimum.
        public var flex: Int
        /// Lower is more important; the highest go first when space runs out.
        public var priority: Int
        public var alignRight: Bool

        public init(minimum: Int, maximum: Int? = nil, flex: Int = 0, priority: Int = 0, alignRight: Bool = false) {
            self.minimum = minimum
            self.maximum = max(minimum, maximum ?? minimum)
            self.flex = flex
            self.priority = priority
            self.alignRight = alignRight
        }
    }

    public let columns: [Column]
    /// Columns between neighbours.
    public let gap: Int

    public init(_ columns: [Column], gap: Int = 1) {
        self.columns = columns
        self.gap = gap
    }

    /// The width of each column in `width` columns, or nil for a dropped one.
    public func widths(in width: Int) -> [Int?] {
        var shown = Array(columns.indices)
        func needed(_ set: [Int]) -> Int { set.reduce(0) { $0 + columns[$1].minimum } + gap * max(0, set.count - 1) }
        while needed(shown) > width, shown.count > 1 {
            // Drop the least important; of equals, the rightmost.
            let drop = shown.max { a, b in
                columns[a].priority != columns[b].priority ? columns[a].priority < columns[b].priority : a < b
            }!
            shown.removeAll { $0 == drop }
        }
        var result: [Int?] = Array(repeating: nil, count: columns.count)
        for i in shown { result[i] = min(columns[i].minimum, width) }
        var spare = width - needed(shown)
        // Share the spare room by weight, a column at a time so maximums are respected.
        while spare > 0 {
            let growable = shown.filter { columns[$0].flex > 0 && result[$0]! < columns[$0].maximum }
            guard !growable.isEmpty else { break }
            let weight = growable.reduce(0) { $0 + columns[$1].flex }
            var given = 0
            for i in growable {
                let share = max(1, spare * columns[i].flex / weight)
                let grant = min(share, columns[i].maximum - result[i]!, spare - given)
                result[i]! += grant
                given += grant
                if given >= spare { break }
            }
            if given == 0 { break }
            spare -= given
        }
        return result
    }
}
