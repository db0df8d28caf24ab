import Testing

@testable import FolioServer

/// How the server reads what clients send: whole numbers in every spelling
/// JSON Schema calls an integer, form-encoded query strings, and booleans
/// only where a flag is meant.
@Suite struct RequestInputTests {
    @Test(arguments: [
        ("456", Int64(456)), ("-3", -3), ("+7", 7), ("3688.0", 3688), ("3688.000", 3688), ("1e3", 1000),
        ("1.5e1", 15), ("6.508064070785536e+16", 65_080_640_707_855_360), ("-0.0", 0), ("10E-1", 1),
        ("9223372036854775807", .max), ("-9223372036854775808", .min), ("9223372036854775807.0", .max),
        ("-9.223372036854775808e18", .min),
    ])
    func wholeNumbersInEverySpelling(text: String, value: Int64) {
        #expect(RequestInput.wholeNumber(text) == value, "\(text)")
    }

    @Test(arguments: [
        "3688.5", "1e-1", "9223372036854775808", "9.3e18", "-9223372036854775809", "", "-", ".", "e3", "1e",
        "1e999999999999", "1e-9223372036854775808", "1e9223372036854775807", "0x10", "١٢", "1,000", " 1", "1.2.3", "NaN", "Infinity",
        "1e41",
    ])
    func notWholeNumbers(text: String) {
        #expect(RequestInput.wholeNumber(text) == nil, "\(text)")
    }

    /// Twelve whole digits at most, counted without leading zeros; decimals beyond four only zeros.
    @Test func quantitiesCountTheirDigitsWithoutLeadingZeros() {
        #expect(Quantity(decimalText: "00000412603248")?.scaled == 412_603_248 * Quantity.scale)
        #expect(Quantity(decimalText: "0000000000001.5")?.description == "1.5")
        #expect(Quantity(decimalText: "999999999999")?.scaled == 999_999_999_999 * Quantity.scale)
        #expect(Quantity(decimalText: "1.50000")?.description == "1.5")
        for bad in ["1234567890123", "1.00001", ".5", "1.", "1e3", "+1", "0x1"] {
            #expect(Quantity(decimalText: bad) == nil, "\(bad)")
        }
    }

    @Test func aQueryStringIsReadAsAFormWritesIt() {
        let pairs = RequestInput.formPairs("created_from=2026-05-01+10%3A00%3A00&sku=A%2BB&increment_id%5B%5D=1&flag&=x&a=b=c")
        #expect(pairs.map(\.0) == ["created_from", "sku", "increment_id[]", "flag", "", "a"])
        #expect(pairs.map(\.1) == ["2026-05-01 10:00:00", "A+B", "1", "", "x", "b=c"])
    }

    @Test func aPlusInTheQueryIsASpaceAndAWholeFloatIsAnId() async throws {
        try await LiveServer.with { s in
            let spaced = try await s.get("/api2/invoice?created_from=2020-01-01+00%3A00%3A00&limit=1")
            #expect(spaced.status == 200)
            #expect(try await s.post("/api2/invoice/email", json: #"{"id": 456.0}"#).status == 200)
            let flagAsId = try await s.post("/api2/invoice/email", json: #"{"id": true}"#)
            #expect(flagAsId.status == 400, "true is not invoice 1")
            #expect(try await s.get("/api2/invoice?id=456.0").status == 200)
            // The smallest exponent there is: refused, not a trap that takes the server down.
            #expect(try await s.get("/api2/invoice?id=1e-9223372036854775808").status == 400)
            #expect(try await s.get("/api2/oauth/health").status == 200)
            #expect(try await s.post("/api2/invoice/create", json: #"{"order_id": true}"#).status == 400)
        }
    }

    /// A look-up by id reads the other parameters too: a bad one is a 400, not passed over.
    @Test func aLookUpRefusesABadFilterAlongsideIt() async throws {
        try await LiveServer.with { (s: LiveServer) async throws in
            #expect(try await s.get("/api2/invoice?id=456").status == 200)
            #expect(try await s.get("/api2/invoice?id=456&state=9").status == 400)
            #expect(try await s.get("/api2/invoice?increment_id=100000045&created_to=soon").status == 400)
            #expect(try await s.get("/api2/order?id=123").status == 200)
            #expect(try await s.get("/api2/order?id=123&created_to=%C2%B7").status == 400)
            #expect(try await s.get("/api2/order?id=123&can_invoice=maybe").status == 400)
        }
    }
}
