/// One terminal cell: a character (a whole grapheme cluster), how many
/// columns it takes, and its style. The column after a wide character holds a
/// continuation cell (width 0) so that the grid stays one cell per column.
public struct Cell: Sendable, Hashable {
    public var character: Character
    public var width: UInt8
    public var style: Style

    public static let blank = Cell(character: " ", width: 1, style: .plain)
    static func continuation(_ style: Style) -> Cell { Cell(character: " ", width: 0, style: style) }

    public var isContinuation: Bool { width == 0 }
}

/// A rectangle of the screen, in columns and rows.
public struct Rect: Sendable, Hashable {
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }
    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
}

/// A frame: the grid of cells a screen draws into. Backends show it; tests
/// read it. Drawing is clipped to the grid and never splits a wide character.
public struct Canvas: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Where the terminal's cursor should be left (a text field), or nil to hide it.
    public var cursor: (x: Int, y: Int)?

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public static func == (a: Canvas, b: Canvas) -> Bool {
        a.width == b.width && a.height == b.height && a.cells == b.cells
            && a.cursor?.x == b.cursor?.x && a.cursor?.y == b.cursor?.y
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Writes text at (x, y), clipped to `limit` columns (and the canvas);
    /// returns the columns used. A wide character that would not fit whole is
    /// replaced by spaces rather than cut in half.
    @discardableResult
    public mutating func text(_ text: String, x: Int, y: Int, style: Style = .plain, limit: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let end = min(width, limit.map { x + max(0, $0) } ?? width)
        var column = x
        for character in text {
            let w = TextWidth.of(character)
            // Combining marks travel inside their Character (a grapheme cluster);
            // what is left at width 0 (controls, a lone joiner) takes no cell.
            if w == 0 { continue }
            if column + w > end {
                while column < end {
                    if column >= 0 { clearCell(column, y, style) }
                    column += 1
                }
                break
            }
            if column >= 0 {
                place(Cell(character: character, width: UInt8(w), style: style), x: column, y: y)
            }
            column += w
        }
        return max(0, column - x)
    }

    /// Fills a rectangle with blanks of a style (a background, a selection bar).
    /// Any rectangle is fine: what lies off the canvas is skipped.
    public mutating func fill(_ rect: Rect, style: Style = .plain) {
        let (rows, columns) = clip(rect)
        for row in rows {
            for column in columns { clearCell(column, row, style) }
        }
    }

    /// Re-styles the cells of a rectangle, keeping their characters.
    public mutating func restyle(_ rect: Rect, _ change: (inout Style) -> Void) {
        let (rows, columns) = clip(rect)
        for row in rows {
            for column in columns { change(&cells[row * width + column].style) }
        }
    }

    /// The rows and columns of a rectangle that are on the canvas (empty
    /// ranges when none are: a screen laid out for more room than it has
    /// must draw less, never trap).
    private func clip(_ rect: Rect) -> (rows: Range<Int>, columns: Range<Int>) {
        let top = min(max(0, rect.y), height)
        let bottom = max(top, min(height, rect.maxY))
        let left = min(max(0, rect.x), width)
        let right = max(left, min(width, rect.maxX))
        return (top..<bottom, left..<right)
    }

    /// The text of a row as it would read on screen (continuation cells dropped).
    public func row(_ y: Int) -> String {
        var out = ""
        for x in 0..<width where !self[x, y].isContinuation { out.append(self[x, y].character) }
        return out
    }

    /// The whole screen as text, trailing spaces trimmed: what a test compares.
    public var text: String {
        (0..<height).map { y in
            var line = row(y)
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }

    /// The cells to send to the glass: those that differ from `previous`
    /// (every one when the size changed), without the right halves of wide
    /// characters (their left cell draws them). The ncurses backend draws
    /// exactly these; the tests and the benchmark measure the same list.
    public func changes(since previous: Canvas?) -> [(x: Int, y: Int)] {
        let all = previous.map { $0.width != width || $0.height != height } ?? true
        var result: [(x: Int, y: Int)] = []
        for i in cells.indices where !cells[i].isContinuation && (all || cells[i] != previous!.cells[i]) {
            result.append((x: i % width, y: i / width))
        }
        return result
    }

    private mutating func place(_ cell: Cell, x: Int, y: Int) {
        // Overwriting half of a wide character blanks its other half.
        if self[x, y].isContinuation, x > 0 { self[x - 1, y] = Cell(character: " ", width: 1, style: self[x - 1, y].style) }
        if self[x, y].width == 2, x + 1 < width { self[x + 1, y] = Cell(character: " ", width: 1, style: self[x + 1, y].style) }
        self[x, y] = cell
        if cell.width == 2, x + 1 < width {
            if self[x + 1, y].width == 2, x + 2 < width {
                self[x + 2, y] = Cell(character: " ", width: 1, style: self[x + 2, y].style)
            }
            self[x + 1, y] = .continuation(cell.style)
        }
    }

    private mutating func clearCell(_ x: Int, _ y: Int, _ style: Style) {
        place(Cell(character: " ", width: 1, style: style), x: x, y: y)
    }
}
