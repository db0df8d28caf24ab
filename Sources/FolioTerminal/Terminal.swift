import Synchronization

/// What a screen needs from a terminal: its size, a way to show a frame, and
/// the keys typed since the last look. The ncurses backend is one; the
/// in-memory backend used by tests is another.
public protocol TerminalBackend: AnyObject {
    var width: Int { get }
    var height: Int { get }
    /// Shows a frame; only the cells that changed since the last one are sent.
    func present(_ canvas: Canvas)
    /// Everything typed (or resized) since the last call, without waiting.
    func pendingEvents() -> [TerminalEvent]
    /// The descriptor to wait on for input, or nil when there is none to wait on.
    var inputDescriptor: Int32? { get }
    /// Signals that arrived since the last call (Ctrl-C, a hang-up, Ctrl-Z…),
    /// and the descriptor that becomes readable when one does.
    func pendingSignals() -> [TerminalSignal]
    var signalDescriptor: Int32? { get }
    /// Gives the terminal back to the shell (Ctrl-Z) and takes it again on return.
    func suspend()
    /// Forgets what is on the glass: the next frame is sent whole (Ctrl-L).
    func invalidate()
    /// Puts text on the clipboard of the terminal the user sits at.
    func copyToClipboard(_ text: String)
    /// Gives the terminal back for good.
    func close()
}

/// A terminal in memory: keys come from a script, frames are kept to read.
/// Lets every screen run without a terminal, at any size; safe to read from
/// a test's thread while a program runs on its own.
public final class MemoryTerminal: TerminalBackend, Sendable {
    private struct Screen {
        var width: Int
        var height: Int
        var frame: Canvas
        var closed = false
        var queue: [TerminalEvent] = []
        var copied: [String] = []
    }
    private let screen: Mutex<Screen>

    public init(width: Int, height: Int) {
        screen = Mutex(Screen(width: width, height: height, frame: Canvas(width: width, height: height)))
    }

    public var width: Int { screen.withLock { $0.width } }
    public var height: Int { screen.withLock { $0.height } }
    /// The last frame presented.
    public var frame: Canvas { screen.withLock { $0.frame } }
    public var closed: Bool { screen.withLock { $0.closed } }
    /// Every text put on the clipboard, in order.
    public var copied: [String] { screen.withLock { $0.copied } }

    public func type(_ keys: Key...) { screen.withLock { $0.queue += keys.map(TerminalEvent.key) } }
    public func type(text: String) { screen.withLock { $0.queue += text.map { .key(.character($0)) } } }
    /// Text as a terminal with bracketed paste delivers it: one event.
    public func paste(_ text: String) { screen.withLock { $0.queue.append(.paste(text)) } }
    public func mouse(_ mouse: Mouse) { screen.withLock { $0.queue.append(.mouse(mouse)) } }
    public func resize(width: Int, height: Int) {
        screen.withLock {
            $0.width = width
            $0.height = height
            $0.queue.append(.resize(width: width, height: height))
        }
    }

    public func present(_ canvas: Canvas) {
        screen.withLock {
            $0.frame = canvas
        }
    }

    public func pendingEvents() -> [TerminalEvent] {
        screen.withLock { s in
            defer { s.queue = [] }
            return s.queue
        }
    }

    public var inputDescriptor: Int32? { nil }
    /// A terminal in memory takes no signals: the process's stay with the test runner.
    public func pendingSignals() -> [TerminalSignal] { [] }
    public var signalDescriptor: Int32? { nil }
    public func suspend() {}
    public func copyToClipboard(_ text: String) { screen.withLock { $0.copied.append(text) } }
    public func invalidate() { screen.withLock { $0.frame = Canvas(width: 0, height: 0) } }
    public func close() { screen.withLock { $0.closed = true } }
}
