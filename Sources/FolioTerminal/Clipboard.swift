import Foundation

/// The escape sequences that put text on the user's clipboard (OSC 52).
public enum Clipboard {
    /// Plain OSC 52; inside tmux also the passthrough-wrapped form, and
    /// inside GNU screen the DCS-wrapped one.
    public static func sequences(for text: String, environment: [String: String]) -> [String] {
        let osc = "\u{1B}]52;c;" + Data(text.utf8).base64EncodedString() + "\u{07}"
        if environment["TMUX"] != nil {
            // Passthrough: ESC P tmux; <sequence with every ESC doubled> ESC \
            let wrapped = "\u{1B}Ptmux;" + osc.replacingOccurrences(of: "\u{1B}", with: "\u{1B}\u{1B}") + "\u{1B}\\"
            return [osc, wrapped]
        }
        if let term = environment["TERM"], term.hasPrefix("screen"), environment["STY"] != nil {
            return ["\u{1B}P" + osc + "\u{1B}\\"]
        }
        return [osc]
    }
}
