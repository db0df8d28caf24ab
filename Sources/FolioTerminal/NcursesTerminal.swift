import CNcursesw

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The real terminal, through ncursesw.
///
/// Set-up follows what tig and htop do: the locale first (or UTF-8 is
/// garbled), cbreak rather than raw so that Ctrl-C and Ctrl-Z stay signals,
/// keypad on, a short Esc delay, no mouse, bracketed paste on (so that a
/// paste arrives as text, not as keys). `present` writes only the cells
/// that differ from the last frame, and ncurses' own diff then sends only
/// what really changed on the glass.
///
/// Unchecked Sendable: only the loop's thread touches it, as ncurses requires.
public final class NcursesTerminal: TerminalBackend, @unchecked Sendable {
    public private(set) var width: Int
    public private(set) var height: Int
    /// What the terminal can show, decided once at start.
    public let depth: ColorDepth
    /// What the locale and the terminal type let through; other characters
    /// are sent as ASCII look-alikes.
    public let repertoire: Repertoire
    /// Set when TERM had no terminfo entry and a known type was used instead.
    public let terminalNote: String?
    private var shown: Canvas?
    private var pairs: [PairKey: Int32] = [:]
    private var nextPair: Int32 = 1
    private var open = true
    private let screen: OpaquePointer

    private struct PairKey: Hashable { let fg: Int32, bg: Int32 }

    private let input: Int32
    private let output: Int32
    private let environment: [String: String]

    /// Takes over the terminal on `input`/`output` (the process's own by
    /// default; a benchmark passes a pty). The mouse stays the terminal's
    /// (select and paste work as usual) unless `mouse` asks for it.
    /// Throws when there is no terminal.
    public init(
        environment: [String: String], input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO,
        mouse: Bool = false
    ) throws(TerminalError) {
        self.input = input
        self.output = output
        self.environment = environment
        setlocale(LC_ALL, "")
        guard isatty(input) == 1, isatty(output) == 1 else {
            throw TerminalError("the terminal interface needs a terminal; for scripts use `folio invoices …`")
        }
        if environment["ESCDELAY"] == nil { set_escdelay(25) }
        TerminalRestore.install(input: input, output: output)
        // A TERM without a terminfo entry (tmux-256color without ncurses-term,
        // say) makes initscr exit; newterm returns nil instead, and a type
        // every system knows is tried next.
        let term = environment["TERM"] ?? ""
        var note: String?
        var used = term
        var screen = term.isEmpty ? nil : newterm(term, fdopen(output, "w"), fdopen(input, "r"))
        if screen == nil {
            for fallback in term.contains("256") ? ["xterm-256color", "xterm", "vt100"] : ["xterm", "vt100"] {
                screen = newterm(fallback, fdopen(output, "w"), fdopen(input, "r"))
                if screen != nil {
                    note = term.isEmpty ? "TERM is not set; using \(fallback)" : "no terminfo entry for TERM=\(term); using \(fallback)"
                    setenv("TERM", fallback, 1)
                    used = fallback
                    break
                }
            }
        }
        guard let screen else {
            TerminalRestore.done()
            throw TerminalError("cannot start the terminal: no terminfo entry for TERM=\(term) — install ncurses-term or set TERM=xterm")
        }
        // A terminal that cannot move its cursor (TERM=dumb, an editor's
        // shell buffer) would show only the last line: say so instead.
        guard NcursesTerminal.capability("cup") != nil else {
            endwin()
            delscreen(screen)
            TerminalRestore.done()
            throw TerminalError(
                "TERM=\(used) cannot place text on the screen, so the terminal interface cannot run here "
                    + "— use a full-screen terminal (TERM=xterm-256color), or `folio invoices …` for plain output")
        }
        self.screen = screen
        terminalNote = note
        repertoire = Repertoire.detect(codeset: String(cString: folio_codeset()), term: used)
        TerminalRestore.captureSequences(mouse: mouse)
        TerminalRestore.forwardResizes()
        pasteOn = NcursesTerminal.capability("BE") ?? "\u{1B}[?2004h"
        pasteOff = NcursesTerminal.capability("BD") ?? "\u{1B}[?2004l"
        cbreak()
        noecho()
        nonl()
        keypad(folio_stdscr(), true)
        // Pasted text comes between ESC[200~ and ESC[201~ once bracketed
        // paste is on; ncurses reports each mark as a key code of its own.
        define_key("\u{1B}[200~", NcursesTerminal.pasteStartCode)
        define_key("\u{1B}[201~", NcursesTerminal.pasteEndCode)
        nodelay(folio_stdscr(), true)
        intrflush(folio_stdscr(), false)
        leaveok(folio_stdscr(), true)
        curs_set(0)
        if mouse {
            mousemask(folio_mouse_all(), nil)
            mouseinterval(0)
        }
        var colorful = has_colors()
        if colorful {
            start_color()
            use_default_colors()
        }
        colorful = colorful && folio_colors() >= 8
        depth = ColorDepth.detect(environment: environment, colors: colorful ? Int(folio_colors()) : 0)
        width = Int(folio_cols())
        height = Int(folio_lines())
        write(pasteOn)
    }

    /// Key codes past ncurses' own, for the paste marks.
    static let pasteStartCode = KEY_MAX + 1
    static let pasteEndCode = KEY_MAX + 2
    private var pasteOn = "", pasteOff = ""
    private var decoder = InputDecoder()

    /// A string capability of the terminal, or nil when it has none.
    static func capability(_ name: String) -> String? {
        guard let value = tigetstr(name), Int(bitPattern: value) > 0 else { return nil }
        return String(cString: value)
    }

    public var inputDescriptor: Int32? { input }
    public func pendingSignals() -> [TerminalSignal] { TerminalRestore.pendingSignals() }
    public var signalDescriptor: Int32? { TerminalRestore.signalDescriptor >= 0 ? TerminalRestore.signalDescriptor : nil }

    public func present(_ canvas: Canvas) {
        guard open else { return }
        var cell = cchar_t()
        var text: [wchar_t] = []
        for (x, y) in canvas.changes(since: shown) {
            let c = canvas[x, y]
            // The bottom-right cell would scroll some terminals; leave it blank.
            if x == canvas.width - 1, y == canvas.height - 1, c.character == " " && c.style == .plain { continue }
            if !repertoire.shows(c.character) {
                // Not showable here: a look-alike in as many columns as the character takes.
                for (offset, ascii) in ASCIIFallback.text(for: c.character, width: Int(c.width)).unicodeScalars.enumerated() {
                    _ = folio_setcchar(&cell, [wchar_t(bitPattern: ascii.value), 0], attributes(c.style.attributes), pair(for: c.style))
                    _ = mvwadd_wch(folio_stdscr(), Int32(y), Int32(x + offset), &cell)
                }
                continue
            }
            if let first = c.character.unicodeScalars.first, TextWidth.isRegionalIndicator(first) {
                // ncurses keeps one spacing character a cell, and terminals
                // disagree on a lone indicator's width: a flag goes out as its
                // two halves, a column each (as every terminal counts them),
                // and a lone indicator as its letter, so nothing after it shifts.
                let halves = Array(c.character.unicodeScalars.prefix(2))
                let parts =
                    c.width == 2 && halves.count == 2
                    ? halves : [TextWidth.regionalLetter(first)!.unicodeScalars.first!]
                for (offset, scalar) in parts.enumerated() {
                    _ = folio_setcchar(&cell, [wchar_t(bitPattern: scalar.value), 0], attributes(c.style.attributes), pair(for: c.style))
                    _ = mvwadd_wch(folio_stdscr(), Int32(y), Int32(x + offset), &cell)
                }
                continue
            }
            text.removeAll(keepingCapacity: true)
            for scalar in c.character.unicodeScalars { text.append(wchar_t(bitPattern: scalar.value)) }
            text.append(0)
            _ = folio_setcchar(&cell, text, attributes(c.style.attributes), pair(for: c.style))
            _ = mvwadd_wch(folio_stdscr(), Int32(y), Int32(x), &cell)
        }
        shown = canvas
        if let cursor = canvas.cursor {
            curs_set(1)
            wmove(folio_stdscr(), Int32(cursor.y), Int32(cursor.x))
            leaveok(folio_stdscr(), false)
        } else {
            curs_set(0)
            leaveok(folio_stdscr(), true)
        }
        wrefresh(folio_stdscr())
    }

    public func pendingEvents() -> [TerminalEvent] {
        var events: [TerminalEvent] = []
        var code: wint_t = 0
        while open {
            let kind = wget_wch(folio_stdscr(), &code)
            if kind == ERR { break }
            let input: RawInput
            if kind == KEY_CODE_YES {
                switch Int32(code) {
                case KEY_RESIZE:
                    width = Int(folio_cols())
                    height = Int(folio_lines())
                    // The terminal may have cleared or reflowed the glass; what
                    // ncurses believes is there is no longer true. Paint it all.
                    shown = nil
                    clearok(folio_curscr(), true)
                    input = .event(.resize(width: width, height: height))
                case KEY_MOUSE:
                    guard let mouse = NcursesTerminal.mouse() else { continue }
                    input = .event(.mouse(mouse))
                case NcursesTerminal.pasteStartCode: input = .pasteStart
                case NcursesTerminal.pasteEndCode: input = .pasteEnd
                default:
                    guard let key = NcursesTerminal.key(code: Int32(code)) else { continue }
                    input = .event(.key(key))
                }
            } else {
                guard let scalar = Unicode.Scalar(UInt32(code)) else { continue }
                input = .character(scalar)
            }
            events += decoder.decode(input)
        }
        return events
    }

    static func mouse() -> Mouse? {
        var event = MEVENT()
        guard getmouse(&event) == OK else { return nil }
        let x = Int(event.x)
        let y = Int(event.y)
        if event.bstate & folio_mouse_wheel_up() != 0 { return Mouse(.wheelUp, x: x, y: y) }
        if event.bstate & folio_mouse_wheel_down() != 0 { return Mouse(.wheelDown, x: x, y: y) }
        if event.bstate & folio_mouse_press() != 0 { return Mouse(.click, x: x, y: y) }
        return nil
    }

    static func key(code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME, KEY_A1: return .home
        case KEY_END, KEY_C1: return .end
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_IC: return .insert
        case KEY_BTAB: return .backTab
        case KEY_F0 + 1...KEY_F0 + 63: return .function(Int(code - KEY_F0))
        default: return nil
        }
    }

    public func suspend() {
        guard open else { return }
        def_prog_mode()
        write(pasteOff)
        endwin()
        TerminalRestore.stopSelf()
        reset_prog_mode()
        write(pasteOn)
        // Whatever the shell drew meanwhile is gone: paint everything again.
        shown = nil
        clearok(folio_curscr(), true)
        wrefresh(folio_stdscr())
    }

    /// OSC 52, understood by xterm, iTerm2, kitty, WezTerm, Windows Terminal…
    /// and carried over ssh like any output. Inside tmux it is sent twice:
    /// plain (tmux takes it when `set-clipboard` is on) and wrapped for
    /// passthrough (`allow-passthrough`), so it reaches the outer terminal.
    public func copyToClipboard(_ text: String) {
        guard open else { return }
        write(Clipboard.sequences(for: text, environment: environment).joined())
    }

    private func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(output, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 { break }
            offset += n
        }
    }

    public func invalidate() {
        shown = nil
        clearok(folio_curscr(), true)
    }

    public func close() {
        guard open else { return }
        open = false
        write(pasteOff)
        endwin()
        delscreen(screen)
        TerminalRestore.done()
    }

    deinit { close() }

    private func attributes(_ a: Attributes) -> attr_t {
        var result = folio_a_normal()
        if a.contains(.bold) { result |= folio_a_bold() }
        if a.contains(.dim) { result |= folio_a_dim() }
        if a.contains(.underline) { result |= folio_a_underline() }
        if a.contains(.reverse) { result |= folio_a_reverse() }
        if a.contains(.italic) { result |= folio_a_italic() }
        return result
    }

    /// The colour pair of a style, made on first use. Past the terminal's
    /// limit of pairs, the terminal's own colours are used.
    private func pair(for style: Style) -> Int32 {
        guard depth != .monochrome else { return 0 }
        let key = PairKey(fg: number(style.foreground), bg: number(style.background))
        if key.fg == -1 && key.bg == -1 { return 0 }
        if let known = pairs[key] { return known }
        guard nextPair < folio_color_pairs() else { return 0 }
        let made = nextPair
        nextPair += 1
        init_extended_pair(made, key.fg, key.bg)
        pairs[key] = made
        return made
    }

    private func number(_ color: Color) -> Int32 {
        switch depth.degrade(color) {
        case .default: return -1
        case .indexed(let n): return Int32(n)
        case .rgb(let r, let g, let b): return Int32(r) << 16 | Int32(g) << 8 | Int32(b)
        }
    }
}

public struct TerminalError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
