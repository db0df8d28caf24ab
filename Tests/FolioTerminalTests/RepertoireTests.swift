import FolioTerminal
import Testing

@Suite struct RepertoireTests {
    @Test(arguments: [
        ("UTF-8", "xterm-256color", Repertoire.unicode), ("utf8", "tmux-256color", .unicode), ("UTF-8", "screen", .unicode),
        ("UTF-8", "vte-256color", .unicode), ("UTF-8", "linux", .console), ("UTF-8", "screen.linux", .console),
        ("UTF-8", "vt100", .ascii), ("UTF-8", "vt220", .ascii), ("UTF-8", "ansi", .ascii), ("UTF-8", "dumb", .ascii),
        ("ANSI_X3.4-1968", "xterm-256color", .ascii), ("ISO-8859-1", "linux", .ascii),
    ])
    func fromTheLocaleAndTheTerminalType(codeset: String, term: String, expected: Repertoire) {
        #expect(Repertoire.detect(codeset: codeset, term: term) == expected)
    }

    @Test func whatEachShows() {
        #expect(Repertoire.unicode.shows("山") && Repertoire.unicode.shows("…"))
        #expect(Repertoire.console.shows("é") && Repertoire.console.shows("─") && Repertoire.console.shows("↓"))
        #expect(!Repertoire.console.shows("山") && !Repertoire.console.shows("€") && !Repertoire.console.shows("⠋"))
        #expect(Repertoire.ascii.shows("a") && !Repertoire.ascii.shows("é") && !Repertoire.ascii.shows("─"))
    }

    @Test func glyphsComeFromWhatTheTerminalShows() {
        #expect(Glyphs(for: .unicode) == .unicode)
        #expect(Glyphs(for: .ascii) == .ascii)
        let console = Glyphs(for: .console)
        // Lines and arrows from the console font; no ellipsis or braille there.
        #expect(console.horizontal == "─" && console.topLeft == "┌" && console.down == "↓" && console.separator == "·")
        #expect(console.ellipsis == Glyphs.ascii.ellipsis && console.spinner == Glyphs.ascii.spinner)
    }
}

@Suite struct ASCIIFallbackTests {
    @Test func lookAlikesKeepTheColumns() {
        #expect(ASCIIFallback.text(for: "é", width: 1) == "e")
        #expect(ASCIIFallback.text(for: "Ø", width: 1) == "O")
        #expect(ASCIIFallback.text(for: "ß", width: 1) == "s")
        #expect(ASCIIFallback.text(for: "€", width: 1) == "E")
        #expect(ASCIIFallback.text(for: "↓", width: 1) == "v")
        #expect(ASCIIFallback.text(for: "─", width: 1) == "-")
        #expect(ASCIIFallback.text(for: "a", width: 1) == "a")
        // A wide character the terminal cannot show still takes its two columns.
        #expect(ASCIIFallback.text(for: "山", width: 2) == "??")
        #expect(ASCIIFallback.text(for: "👍", width: 2) == "??")
    }
}
