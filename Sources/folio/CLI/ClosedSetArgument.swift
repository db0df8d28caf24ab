import ArgumentParser
import FolioCore
import Logging

/// An option whose value is one word of a closed set (`--capture online`).
/// ArgumentParser parses it into the enum, lists the words in `--help` and
/// completes them; a word outside the set stops the command before it runs,
/// in one line that names what is allowed — "--capture takes offline, online
/// or no_capture, not later" — with the usage status, 2.
///
/// ArgumentParser would say that in its own words over several lines, so the
/// refusal is kept in `ArgumentRefusal` for the entry point to print instead.
///
/// Public only because FolioCore's and swift-log's public enums conform: the
/// witnesses of a public protocol's requirements on a public type must be public.
public protocol ClosedSetArgument: ExpressibleByArgument, CaseIterable, RawRepresentable<String> {
    /// The option that takes the word, as typed: `--capture`.
    static var option: String { get }
    /// The word for `text`, or nil. By default exactly a raw value.
    static func word(_ text: String) -> Self?
}

extension ClosedSetArgument {
    public static func word(_ text: String) -> Self? { Self(rawValue: text) }

    public init?(argument: String) { self.init(word: argument) }

    /// The word `argument` names, or nil with its refusal recorded.
    init?(word argument: String) {
        guard let value = Self.word(argument) else {
            ArgumentRefusal.record(Self.refusal(of: argument))
            return nil
        }
        self = value
    }

    /// "offline, online or no_capture".
    static var allowed: String {
        let words = allCases.map(\.rawValue)
        guard words.count > 1 else { return words.joined() }
        return words.dropLast().joined(separator: ", ") + " or " + words.last!
    }

    /// "--capture takes offline, online or no_capture, not later".
    static func refusal(of text: String) -> String { "\(option) takes \(allowed), not \(text)" }
}

extension InvoiceQuery.SortField: ClosedSetArgument {
    public static let option = "--sort"
}

extension CaptureMode: ClosedSetArgument {
    public static let option = "--capture"
}

extension Logger.Level: @retroactive ExpressibleByArgument, ClosedSetArgument {
    public static let option = "--log-level"
    /// Said here: ArgumentParser offers `Logger.Level` more than one.
    public init?(argument: String) { self.init(word: argument) }
}
