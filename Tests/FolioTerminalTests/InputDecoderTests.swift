import Testing

@testable import FolioTerminal

/// Keys and bracketed pastes as the terminal delivers them.
@Suite struct InputDecoderTests {
    static func decode(_ inputs: [RawInput], _ decoder: inout InputDecoder) -> [TerminalEvent] {
        inputs.flatMap { decoder.decode($0) }
    }

    static func characters(_ text: String) -> [RawInput] { text.unicodeScalars.map(RawInput.character) }

    @Test func outsideAPasteControlBytesAreKeys() {
        var decoder = InputDecoder()
        let events = Self.decode(Self.characters("y\r\t\u{1B}"), &decoder)
        #expect(events == [.key(.character("y")), .key(.enter), .key(.tab), .key(.escape)])
    }

    @Test func aPasteIsOneTextEventWhateverItHolds() {
        var decoder = InputDecoder()
        let inputs: [RawInput] = [.pasteStart] + Self.characters("note\ry\tq\u{1B}") + [.event(.key(.up)), .pasteEnd]
        let events = Self.decode(inputs, &decoder)
        // Enter, Tab, y, q and Esc are text here; an arrow decoded inside the paste is dropped.
        #expect(events == [.paste("note\ry\tq\u{1B}")])
        #expect(!decoder.isPasting)
        // After the end mark, keys are keys again.
        #expect(decoder.decode(.character("y")) == [.key(.character("y"))])
    }

    @Test func anEnterOrTabKeyDecodedInsideAPasteIsText() {
        var decoder = InputDecoder()
        let events = Self.decode(
            [.pasteStart, .character("a"), .event(.key(.enter)), .event(.key(.tab)), .character("b"), .pasteEnd],
            &decoder)
        #expect(events == [.paste("a\n\tb")])
    }

    @Test func aPasteWhoseEndNeverComesEndsAtTheNextInputAfterAWhile() {
        var decoder = InputDecoder(patience: .milliseconds(500))
        let start = ContinuousClock.now
        #expect(decoder.decode(.pasteStart, at: start).isEmpty)
        #expect(decoder.decode(.character("a"), at: start + .milliseconds(100)).isEmpty)
        // A second later the terminal has clearly dropped the end mark: the
        // text so far is the paste, and the new input is a key.
        let events = decoder.decode(.character("q"), at: start + .seconds(2))
        #expect(events == [.paste("a"), .key(.character("q"))])
    }

    @Test func anEndMarkAloneIsIgnoredAndAHugePasteIsCut() {
        var decoder = InputDecoder()
        #expect(decoder.decode(.pasteEnd).isEmpty)
        var events = decoder.decode(.pasteStart)
        for _ in 0..<(InputDecoder.pasteLimit + 100) { events += decoder.decode(.character("x")) }
        events += decoder.decode(.pasteEnd)
        guard case .paste(let text)? = events.last else {
            Issue.record("no paste: \(events.count) events")
            return
        }
        #expect(text.utf8.count == InputDecoder.pasteLimit)
    }

    @Test func aResizeDuringAPasteStillArrives() {
        var decoder = InputDecoder()
        let events = Self.decode(
            [.pasteStart, .character("a"), .event(.resize(width: 50, height: 10)), .character("b"), .pasteEnd],
            &decoder)
        #expect(events == [.resize(width: 50, height: 10), .paste("ab")])
    }
}
