import FolioCLIOutput
import Foundation
import Testing

/// What fuzz runs found in the CLI's encoders, pinned (their inputs are also in `Fuzz/corpus`).
@Suite struct EncoderRegressionTests {
    /// A quote or comma followed by a combining mark is one `Character` that
    /// is neither, and the cell was written bare: a spreadsheet, reading scalars,
    /// saw a stray quote or one more column.
    @Test func aQuoteOrCommaWithACombiningMarkIsStillQuoted() {
        #expect(Output.csv(["Eve \"\u{301}", "a,\u{301}b", "c;\u{20DD}"]) == "\"Eve \"\"\u{301}\",\"a,\u{301}b\",\"c;\u{20DD}\"")
        #expect(Output.csv(["=\u{301}1+1"]) == "'=\u{301}1+1", "a formula with a mark on its = is still guarded")
        // A refund sent without its leading zero stays a number the sheet adds up; a bare point or minus does not pass.
        #expect(Output.csv(["-.5", "5.", "-", ".", "-.", "-1+1"], numeric: [0, 1, 2, 3, 4, 5]) == "-.5,5.,'-,.,'-.,'-1+1")
    }

    /// Foundation's JSON parser on Linux drops a raw U+FEFF that starts a
    /// string; written as `\ufeff` it reads back.
    @Test func aLeadingByteOrderMarkReadsBack() throws {
        let text = JSONText.fields([("\u{FEFF}key", .string("\u{FEFF}Zoë"))]).rendered()
        #expect(text == #"{"\ufeffkey":"\ufeffZoë"}"#)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String])
        #expect(parsed.first.map { Array($0.key.unicodeScalars) } == Array("\u{FEFF}key".unicodeScalars))
        #expect(parsed.first.map { Array($0.value.unicodeScalars) } == Array("\u{FEFF}Zoë".unicodeScalars))
    }
}
