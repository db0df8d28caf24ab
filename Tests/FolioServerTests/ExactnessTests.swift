import Testing

@testable import FolioServer

/// Money, quantities, timestamps and JSON: the exact pieces the API rests on.
@Suite struct ExactnessTests {
    @Test func moneyTextInEveryShape() {
        let usd = Currency.of("USD")
        let jpy = Currency.of("JPY")
        let eur = Currency.of("EUR")
        #expect(usd.decimalText(12345) == "123.45")
        #expect(usd.decimalText(12345, fractionDigits: 4) == "123.4500")
        #expect(usd.decimalText(-5) == "-0.05")
        #expect(jpy.decimalText(1500) == "1500")
        #expect(jpy.decimalText(1500, fractionDigits: 4) == "1500.0000")
        #expect(eur.formatted(123_456_78) == "€123,456.78")
        #expect(jpy.formatted(1500) == "¥1,500")
        #expect(usd.formatted(-300) == "-$3.00")
    }

    @Test func quantitiesAreExact() {
        #expect(Quantity(decimalText: "2")?.scaled == 20_000)
        #expect(Quantity(decimalText: "1.25")?.description == "1.25")
        #expect(Quantity(decimalText: "1.50000")?.description == "1.5")
        #expect(Quantity(decimalText: "1.00001") == nil)
        #expect(Quantity(decimalText: "1e3") == nil)
        #expect(Quantity(decimalText: "abc") == nil)
        #expect(Quantity(decimalText: ".5") == nil)
        #expect(Quantity(decimalText: "-1")?.scaled == -10_000)
    }

    @Test func prorationRoundsHalfAwayFromZeroExactlyAtAnySize() {
        #expect(prorate(100, 1, 3) == 33)
        #expect(prorate(200, 1, 3) == 67)
        #expect(prorate(5, 1, 2) == 3)
        #expect(prorate(-5, 1, 2) == -3)
        // The product needs more than 64 bits; the quotient does not.
        #expect(prorate(1_000_000_000_000_000_000, 9_999, 10_000) == 999_900_000_000_000_000)
        #expect(prorate(.max, 1, 1) == .max)
    }

    @Test func timestampBoundsAreStrict() {
        #expect(Timestamp.parseBound("2026-01-31")?.text == "2026-01-31 00:00:00")
        #expect(Timestamp.parseBound("2024-02-29")?.isDateOnly == true)
        #expect(Timestamp.parseBound("2025-02-29") == nil)
        #expect(Timestamp.parseBound("2026-01-01 23:59:59")?.isDateOnly == false)
        for bad in ["2026-1-01", "2026-01-01T00:00:00", "2026-01-01 24:00:00", "20260101", " 2026-01-01", "2026-01-01Z"] {
            #expect(Timestamp.parseBound(bad) == nil, "\(bad)")
        }
        #expect(Timestamp.string(unixSeconds: 0) == "1970-01-01 00:00:00")
    }

    @Test func jsonKeepsNumbersExactAndRejectsWhatIsNotJSON() throws {
        let parsed = try JSON.parse(#"{"a": 123.4500, "b": [true, null, "x\u00e9\n"], "c": -0.1e2}"#)
        #expect(parsed["a"] == .number("123.4500"))
        #expect(parsed["c"] == .number("-0.1e2"))
        #expect(parsed["b"] == .array([.bool(true), .null, .string("xé\n")]))
        #expect(try JSON.parse(parsed.serialized()) == parsed)
        #expect(JSON.string("tab\there \"q\" \u{01}").serialized() == #""tab\there \"q\" \u0001""#)
        for bad in ["{", "{\"a\" 1}", "[1,]", "01", "1.", "tru", "\"\\x\"", "{} {}", "", "[\"\\ud800\"]"] {
            #expect(throws: JSONSyntaxError.self, "\(bad)") { try JSON.parse(bad) }
        }
        #expect(throws: JSONSyntaxError.self) { try JSON.parse(String(repeating: "[", count: 100) + String(repeating: "]", count: 100)) }
    }

    @Test func constantTimeComparisonIsCorrect() {
        #expect(AccessControl.constantTimeEquals([1, 2, 3], [1, 2, 3]))
        #expect(!AccessControl.constantTimeEquals([1, 2, 3], [1, 2, 4]))
        #expect(!AccessControl.constantTimeEquals([1, 2], [1, 2, 3]))
    }
}
