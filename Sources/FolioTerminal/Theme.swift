import Foundation
import Yams

/// Colours by meaning. Screens ask for `theme[.selection]` or
/// `theme[.statePaid]`, never for "cyan", so that a theme file — and the
/// terminal's colour depth — decide how Folio looks.
public struct Theme: Sendable {
    public enum Slot: String, CaseIterable, Sendable {
        case text, header, title, accent, selection, border, muted, error, warning, success
        case statusBar = "status_bar"
        case stateOpen = "state.open"
        case statePaid = "state.paid"
        case stateCanceled = "state.canceled"
    }

    public let name: String
    private var styles: [Slot: Style]

    public subscript(slot: Slot) -> Style { styles[slot] ?? .plain }

    /// Every colour brought down to what the terminal shows.
    public func degraded(to depth: ColorDepth) -> Theme {
        var copy = self
        for (slot, style) in styles {
            copy.styles[slot] = Style(
                foreground: depth.degrade(style.foreground),
                background: depth.degrade(style.background), attributes: style.attributes)
        }
        return copy
    }

    /// The shipped theme of that name (its file is in `themes/`).
    public static func builtin(_ name: String) -> Theme? {
        builtinFiles[name].flatMap { try? parse($0, source: "themes/\(name).yaml") }
    }

    public static var builtinNames: [String] { builtinFiles.keys.sorted() }

    /// The default theme: always there, whatever else is broken.
    public static let standard: Theme = builtin("default")!
    public static let monochrome: Theme = builtin("monochrome")!

    /// Reads a theme file. A slot the file leaves out comes from `default`.
    public static func parse(_ text: String, source: String) throws(ThemeError) -> Theme {
        let root: Any?
        // The basic resolver reads every scalar as text (colours parse their
        // own numbers); the default one compiles regular expressions, which
        // wakes ICU and costs megabytes of memory for nothing here.
        do { root = try Yams.load(yaml: text, .basic) } catch {
            throw ThemeError("\(source): not valid YAML (\(String(describing: error).split(separator: "\n").first ?? ""))")
        }
        guard let document = root as? [String: Any] else { throw ThemeError("\(source): expected a mapping with `slots:`") }
        guard let slots = document["slots"] as? [String: Any] else { throw ThemeError("\(source): no `slots:` mapping") }
        var styles: [Slot: Style] = builtinFiles["default"] == text ? [:] : standard.styles
        for (key, value) in flatten(slots) {
            guard let slot = Slot(rawValue: key) else {
                throw ThemeError("\(source): unknown slot `\(key)` (known: \(Slot.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            styles[slot] = try style(value, slot: key, source: source)
        }
        let name =
            (document["name"] as? String).flatMap { $0.isEmpty ? nil : $0 }
            ?? URL(fileURLWithPath: source).deletingPathExtension().lastPathComponent
        return Theme(name: name, styles: styles)
    }

    /// `state: {open: …}` and `state.open: …` say the same.
    private static func flatten(_ mapping: [String: Any], prefix: String = "") -> [(String, Any)] {
        mapping.flatMap { key, value -> [(String, Any)] in
            let full = prefix.isEmpty ? key : prefix + "." + key
            if let nested = value as? [String: Any], !nested.isEmpty, Set(nested.keys).isDisjoint(with: ["fg", "bg", "attrs"]) {
                return flatten(nested, prefix: full)
            }
            return [(full, value)]
        }
    }

    private static func style(_ value: Any, slot: String, source: String) throws(ThemeError) -> Style {
        guard let fields = value as? [String: Any] else {
            throw ThemeError("\(source): slot `\(slot)` should be a mapping like { fg: cyan, attrs: [bold] }")
        }
        var style = Style()
        for (field, raw) in fields {
            switch field {
            case "fg", "bg":
                guard let color = Color(themeValue: raw) else {
                    throw ThemeError("\(source): slot `\(slot)`: \(field) `\(raw)` is not a colour (a name, 0-255 or #RRGGBB)")
                }
                if field == "fg" { style.foreground = color } else { style.background = color }
            case "attrs":
                let names = (raw as? [Any]) ?? [raw]
                for name in names {
                    guard let attribute = Attributes(themeName: "\(name)") else {
                        throw ThemeError("\(source): slot `\(slot)`: unknown attribute `\(name)` (bold, dim, underline, reverse, italic)")
                    }
                    style.attributes.insert(attribute)
                }
            default:
                throw ThemeError("\(source): slot `\(slot)`: unknown field `\(field)` (fg, bg, attrs)")
            }
        }
        return style
    }

    /// The theme to use: a shipped name, a name under `userDirectory`, or a
    /// path. Never fails: a broken or missing theme gives `default` and a
    /// message that names the problem. No colours at all → `monochrome`.
    public static func resolve(_ choice: String?, depth: ColorDepth, userDirectory: String?) -> (theme: Theme, problem: String?) {
        if depth == .monochrome { return (monochrome, nil) }
        guard let choice, !choice.isEmpty else { return (standard.degraded(to: depth), nil) }
        do {
            return (try load(choice, userDirectory: userDirectory).degraded(to: depth), nil)
        } catch {
            return (standard.degraded(to: depth), "\(error.description) — using the default theme")
        }
    }

    static func load(_ choice: String, userDirectory: String?) throws(ThemeError) -> Theme {
        let isPath = choice.contains("/") || choice.hasSuffix(".yaml") || choice.hasSuffix(".yml")
        if !isPath, let text = builtinFiles[choice] { return try parse(text, source: "themes/\(choice).yaml") }
        let path = isPath ? choice : userDirectory.map { "\($0)/\(choice).yaml" }
        guard let path, let text = try? String(contentsOfFile: (path as NSString).expandingTildeInPath, encoding: .utf8) else {
            throw ThemeError(
                isPath
                    ? "cannot read theme file \(choice)"
                    : "no theme named \(choice) (shipped: \(builtinNames.joined(separator: ", ")))")
        }
        return try parse(text, source: path)
    }
}

public struct ThemeError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}

extension Color {
    static let names: [String: UInt8] = [
        "black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7,
        "bright-black": 8, "gray": 8, "grey": 8, "bright-red": 9, "bright-green": 10, "bright-yellow": 11,
        "bright-blue": 12, "bright-magenta": 13, "bright-cyan": 14, "bright-white": 15,
    ]

    /// A theme file's colour: a name, 0–255, or `#RRGGBB`.
    init?(themeValue raw: Any) {
        if let n = raw as? Int {
            guard (0...255).contains(n) else { return nil }
            self = .indexed(UInt8(n))
            return
        }
        guard let text = (raw as? String)?.lowercased().trimmingCharacters(in: .whitespaces) else { return nil }
        if text == "default" {
            self = .default
            return
        }
        if let n = Color.names[text] {
            self = .indexed(n)
            return
        }
        if let n = Int(text), (0...255).contains(n) {
            self = .indexed(UInt8(n))
            return
        }
        guard text.hasPrefix("#"), text.count == 7, let value = UInt32(text.dropFirst(), radix: 16) else { return nil }
        self = .rgb(UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF))
    }
}

extension Attributes {
    init?(themeName: String) {
        switch themeName.lowercased() {
        case "bold": self = .bold
        case "dim": self = .dim
        case "underline": self = .underline
        case "reverse": self = .reverse
        case "italic": self = .italic
        default: return nil
        }
    }
}
