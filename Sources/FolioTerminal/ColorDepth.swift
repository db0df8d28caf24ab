/// How many colours the terminal shows, and how a theme's colours are brought
/// down to them: a `#RRGGBB` becomes the nearest of 256, of 16, of 8, or
/// nothing at all.
public enum ColorDepth: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    case monochrome, ansi8, ansi16, indexed256, truecolor

    public static func < (a: ColorDepth, b: ColorDepth) -> Bool { a.rawValue < b.rawValue }

    public var description: String {
        switch self {
        case .monochrome: return "monochrome"
        case .ansi8: return "8 colours"
        case .ansi16: return "16 colours"
        case .indexed256: return "256 colours"
        case .truecolor: return "truecolor"
        }
    }

    /// `NO_COLOR` (any value) or a terminal without colours → monochrome.
    /// 24-bit only when COLORTERM says so and the terminfo entry can send it
    /// (`COLORS` ≥ 2²⁴, as xterm-direct); otherwise what terminfo says.
    public static func detect(environment: [String: String], colors: Int) -> ColorDepth {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .monochrome }
        let colorterm = (environment["COLORTERM"] ?? "").lowercased()
        if colors >= 1 << 24, colorterm == "truecolor" || colorterm == "24bit" { return .truecolor }
        if colors >= 256 { return .indexed256 }
        if colors >= 16 { return .ansi16 }
        if colors >= 8 { return .ansi8 }
        return .monochrome
    }

    /// The colour as this depth can show it.
    public func degrade(_ color: Color) -> Color {
        switch (self, color) {
        case (_, .default), (.truecolor, _): return color
        case (.monochrome, _): return .default
        case (.indexed256, .indexed): return color
        case (.indexed256, .rgb(let r, let g, let b)): return .indexed(Palette.nearest256(r, g, b))
        case (.ansi16, .indexed(let n)) where n < 16: return color
        case (.ansi8, .indexed(let n)) where n < 8: return color
        case (.ansi8, .indexed(let n)) where n < 16: return .indexed(n - 8)
        case (_, .indexed(let n)):
            let (r, g, b) = Palette.rgb(of: n)
            return degrade(.rgb(r, g, b))
        case (.ansi16, .rgb(let r, let g, let b)): return .indexed(Palette.nearest(r, g, b, among: 0..<16))
        case (.ansi8, .rgb(let r, let g, let b)): return .indexed(Palette.nearest(r, g, b, among: 0..<8))
        }
    }
}

/// The xterm palette: 16 classic colours, a 6×6×6 cube, 24 greys.
enum Palette {
    static let classic: [(UInt8, UInt8, UInt8)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]
    static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    static func rgb(of index: UInt8) -> (UInt8, UInt8, UInt8) {
        let n = Int(index)
        if n < 16 { return classic[n] }
        if n < 232 {
            let i = n - 16
            return (UInt8(cubeLevels[i / 36]), UInt8(cubeLevels[(i / 6) % 6]), UInt8(cubeLevels[i % 6]))
        }
        let grey = UInt8(8 + (n - 232) * 10)
        return (grey, grey, grey)
    }

    static func nearest(_ r: UInt8, _ g: UInt8, _ b: UInt8, among range: Range<Int>) -> UInt8 {
        var best = range.lowerBound
        var bestDistance = Int.max
        for i in range {
            let (pr, pg, pb) = rgb(of: UInt8(i))
            let d = distance((r, g, b), (pr, pg, pb))
            if d < bestDistance {
                best = i
                bestDistance = d
            }
        }
        return UInt8(best)
    }

    /// The nearest of the cube and the grey ramp (the classic 16 vary by terminal).
    static func nearest256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        func level(_ v: UInt8) -> Int { cubeLevels.indices.min { abs(cubeLevels[$0] - Int(v)) < abs(cubeLevels[$1] - Int(v)) }! }
        let cube = 16 + 36 * level(r) + 6 * level(g) + level(b)
        let average = (Int(r) + Int(g) + Int(b)) / 3
        let grey = 232 + min(23, max(0, (average - 3) / 10))
        let c = rgb(of: UInt8(cube))
        let gr = rgb(of: UInt8(grey))
        return UInt8(distance((r, g, b), c) <= distance((r, g, b), gr) ? cube : grey)
    }

    static func distance(_ a: (UInt8, UInt8, UInt8), _ b: (UInt8, UInt8, UInt8)) -> Int {
        let dr = Int(a.0) - Int(b.0)
        let dg = Int(a.1) - Int(b.1)
        let db = Int(a.2) - Int(b.2)
        // Weighted for the eye's sensitivity to green, then red.
        return 3 * dr * dr + 4 * dg * dg + 2 * db * db
    }
}
