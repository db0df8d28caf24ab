import Foundation

/// What the terminal library hands over, one piece at a time.
public enum RawInput: Equatable, Sendable {
    /// A character as typed (control bytes included).
    case character(Unicode.Scalar)
    /// A key the library decoded (an arrow, a function key…), or another event.
    case event(TerminalEvent)
    /// The terminal's "paste starts" (ESC[200~) and "paste ends" (ESC[201~) marks.
    case pasteStart, pasteEnd
}

/// Turns raw input into events, gathering a bracketed paste into one
/// `.paste`: between the marks, Enter, Tab and Esc are text, not keys, so a
/// pasted line cannot confirm, send or quit anything.
///
/// A paste whose end mark never comes (a terminal that dropped it) would
/// swallow every later key; so a paste left open for `patience` ends at the
/// next input, which is then a key again.
public struct InputDecoder: Sendable {
    private var pasted: String?
    private var lastPasteInput = ContinuousClock.now
    /// Pastes larger than this are cut (a runaway paste must not eat memory).
    public static let pasteLimit = 64 * 1024
    let patience: Duration

    public init(patience: Duration = .seconds(1)) { self.patience = patience }

    /// Whether a paste has started and not ended.
    public var isPasting: Bool { pasted != nil }

    public mutating func decode(_ input: RawInput, at now: ContinuousClock.Instant = .now) -> [TerminalEvent] {
        var events: [TerminalEvent] = []
        if let text = pasted, now - lastPasteInput > patience {
            pasted = nil
            events.append(.paste(text))
        }
        guard var text = pasted else {
            switch input {
            case .pasteStart:
                pasted = ""
                lastPasteInput = now
            case .pasteEnd:
                break  // an end without a start: nothing to close
            case .event(let event):
                events.append(event)
            case .character(let scalar):
                if let key = Key.control(byte: scalar.value) {
                    events.append(.key(key))
                } else if scalar.value >= 0x20 {
                    events.append(.key(.character(Character(scalar))))
                }
            }
            return events
        }
        lastPasteInput = now
        switch input {
        case .pasteEnd:
            pasted = nil
            events.append(.paste(text))
            return events
        case .pasteStart:
            break  // nested start marks: still one paste
        case .character(let scalar):
            if text.utf8.count < Self.pasteLimit { text.unicodeScalars.append(scalar) }
        case .event(.key(.enter)):
            text.append("\n")
        case .event(.key(.tab)):
            text.append("\t")
        case .event(let event):
            // A resize inside a paste still counts; decoded keys (an arrow
            // sequence inside the text) are not text and are dropped.
            if case .resize = event { events.append(event) }
        }
        pasted = text
        return events
    }
}
