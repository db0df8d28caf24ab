import Foundation
import Testing

@testable import FolioTerminal

@Suite struct ThemeTests {
    static let themesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../themes").standardized

    @Test func embeddedThemesMatchTheThemesFolder() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: ThemeTests.themesFolder.path)
            .filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files.map { String($0.dropLast(5)) } == Theme.builtinNames)
        for file in files {
            let text = try String(contentsOf: ThemeTests.themesFolder.appendingPathComponent(file), encoding: .utf8)
            let embedded = Theme.builtinFiles[String(file.dropLast(5))]!
            let trimmed = text.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }
                .joined(separator: "\n").trimmingCharacters(in: .newlines)
            #expect(embedded == trimmed, "\(file) changed: run scripts/embed-themes.sh")
        }
    }

    @Test(arguments: ["default", "dark-256", "light", "high-contrast", "monochrome"])
    func everyShippedThemeParsesWithSelectionAndErrorsApartFromText(name: String) throws {
        let theme = try #require(Theme.builtin(name))
        #expect(theme.name == name)
        // Selection must stand out from plain text in every theme.
        #expect(theme[.selection] != theme[.text])
        #expect(theme[.error] != theme[.text])
    }

    @Test func monochromeUsesAttributesOnly() throws {
        let theme = Theme.monochrome
        for slot in Theme.Slot.allCases {
            #expect(theme[slot].foreground == .default && theme[slot].background == .default, "\(slot)")
        }
        #expect(theme[.selection].attributes.contains(.reverse))
    }

    @Test func colourValuesOfEveryForm() throws {
        let theme = try Theme.parse(
            """
            slots:
              accent: { fg: "#ff8000", bg: 236, attrs: [bold, underline] }
              state: { paid: { fg: bright-green } }
              muted: { fg: grey }
            """, source: "mine.yaml")
        #expect(theme[.accent] == Style(foreground: .rgb(255, 128, 0), background: .indexed(236), attributes: [.bold, .underline]))
        #expect(theme[.statePaid].foreground == .indexed(10))
        #expect(theme[.muted].foreground == .indexed(8))
        // What the file leaves out comes from the default theme.
        #expect(theme[.selection] == Theme.standard[.selection])
        #expect(theme.name == "mine")
    }

    @Test(arguments: [
        ("slots: { acent: { fg: red } }", "unknown slot `acent`"),
        ("slots: { accent: { fg: reddish } }", "fg `reddish` is not a colour"),
        ("slots: { accent: { fg: 300 } }", "fg `300` is not a colour"),
        ("slots: { accent: { attrs: [blink] } }", "unknown attribute `blink`"),
        ("slots: { accent: red }", "should be a mapping"),
        ("name: x", "no `slots:`"),
        ("slots: [: :", "not valid YAML"),
    ])
    func brokenThemesNameTheProblem(text: String, problem: String) {
        #expect(throws: ThemeError.self) { try Theme.parse(text, source: "bad.yaml") }
        do { _ = try Theme.parse(text, source: "bad.yaml") } catch {
            #expect(error.description.hasPrefix("bad.yaml: "))
            #expect(error.description.contains(problem), "\(error.description)")
        }
    }

    @Test func aBrokenOrMissingThemeFallsBackToDefaultWithAMessage() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("folio-themes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "slots: { accent: { fg: nope } }".write(to: folder.appendingPathComponent("broken.yaml"), atomically: true, encoding: .utf8)
        try "slots: { accent: { fg: magenta } }".write(to: folder.appendingPathComponent("mine.yaml"), atomically: true, encoding: .utf8)

        let broken = Theme.resolve("broken", depth: .ansi16, userDirectory: folder.path)
        #expect(broken.theme.name == "default")
        #expect(broken.problem?.contains("fg `nope` is not a colour") == true)
        #expect(broken.problem?.hasSuffix("using the default theme") == true)

        let missing = Theme.resolve("nosuch", depth: .ansi16, userDirectory: folder.path)
        #expect(missing.problem?.contains("no theme named nosuch") == true)
        let path = Theme.resolve(folder.appendingPathComponent("mine.yaml").path, depth: .ansi16, userDirectory: nil)
        #expect(path.problem == nil && path.theme[.accent].foreground == .indexed(5))
        let byName = Theme.resolve("mine", depth: .ansi16, userDirectory: folder.path)
        #expect(byName.problem == nil && byName.theme.name == "mine")
        #expect(Theme.resolve("light", depth: .monochrome, userDirectory: nil).theme.name == "monochrome")
    }

    @Test func depthFromTheEnvironment() {
        #expect(ColorDepth.detect(environment: ["NO_COLOR": "1"], colors: 256) == .monochrome)
        #expect(ColorDepth.detect(environment: ["NO_COLOR": ""], colors: 256) == .indexed256)
        #expect(ColorDepth.detect(environment: [:], colors: 0) == .monochrome)
        #expect(ColorDepth.detect(environment: [:], colors: 8) == .ansi8)
        #expect(ColorDepth.detect(environment: [:], colors: 16) == .ansi16)
        #expect(ColorDepth.detect(environment: ["COLORTERM": "truecolor"], colors: 256) == .indexed256)
        #expect(ColorDepth.detect(environment: ["COLORTERM": "truecolor"], colors: 1 << 24) == .truecolor)
        #expect(ColorDepth.detect(environment: [:], colors: 1 << 24) == .indexed256)
    }

    @Test func coloursComeDownToWhatTheTerminalHas() {
        let orange = Color.rgb(255, 135, 0)
        #expect(ColorDepth.truecolor.degrade(orange) == orange)
        #expect(ColorDepth.indexed256.degrade(orange) == .indexed(208))
        #expect(ColorDepth.indexed256.degrade(.rgb(128, 128, 128)) == .indexed(244))
        #expect(ColorDepth.ansi16.degrade(.indexed(196)) == .indexed(9))
        #expect(ColorDepth.ansi8.degrade(.indexed(9)) == .indexed(1))
        #expect(ColorDepth.ansi8.degrade(.rgb(0, 0, 0)) == .indexed(0))
        #expect(ColorDepth.monochrome.degrade(.indexed(2)) == .default)
        #expect(ColorDepth.ansi8.degrade(.default) == .default)
        // A whole theme: nothing above 7 is left on 8 colours.
        let eight = Theme.builtin("dark-256")!.degraded(to: .ansi8)
        for slot in Theme.Slot.allCases {
            for color in [eight[slot].foreground, eight[slot].background] {
                if case .indexed(let n) = color { #expect(n < 8) }
                if case .rgb = color { Issue.record("\(slot) kept 24-bit colour on 8 colours") }
            }
        }
    }
}

@Suite struct KeyTests {
    @Test func controlBytes() {
        #expect(Key.control(byte: 9) == .tab)
        #expect(Key.control(byte: 13) == .enter)
        #expect(Key.control(byte: 10) == .enter)
        #expect(Key.control(byte: 27) == .escape)
        #expect(Key.control(byte: 127) == .backspace)
        #expect(Key.control(byte: 8) == .backspace)
        #expect(Key.control(byte: 21) == .control("u"))
        #expect(Key.control(byte: 65) == nil)
        #expect(Key.control("u").label == "Ctrl-U")
        #expect(Key.character(" ").label == "space")
    }

    @Test func ncursesKeyCodes() {
        #expect(NcursesTerminal.key(code: 0o403) == .up)
        #expect(NcursesTerminal.key(code: 0o402) == .down)
        #expect(NcursesTerminal.key(code: 0o522) == .pageDown)
        #expect(NcursesTerminal.key(code: 0o523) == .pageUp)
        #expect(NcursesTerminal.key(code: 0o410 + 5) == .function(5))
        #expect(NcursesTerminal.key(code: 0o541) == .backTab)
        #expect(NcursesTerminal.key(code: 0o777) == nil)
    }
}
