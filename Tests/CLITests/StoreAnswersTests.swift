import FolioServer
import FolioTestSupport
import Foundation
import Testing

/// Answers the reference server never gives, put in front of the CLI by the
/// fault proxy: amounts with more digits than their currency has, currencies
/// with 0 and 3 minor digits, and error texts with escape sequences.
@Suite struct StoreAnswersTests {
    /// A listing as a Magento-like store may send it.
    static let listing = #"""
        {"invoices": [
          {"entity_id": 6, "increment_id": "A6", "state": 2, "grand_total": "25.8123", "base_grand_total": "25.8123",
           "order_currency_code": "USD", "base_currency_code": "USD", "billing_name": "six", "email_sent": 1},
          {"entity_id": 5, "increment_id": "A5", "state": 2, "grand_total": "123.4500", "base_grand_total": "123.4500",
           "order_currency_code": "USD", "base_currency_code": "USD", "billing_name": "five", "email_sent": 1},
          {"entity_id": 4, "increment_id": "A4", "state": 2, "grand_total": "12.5000", "base_grand_total": "40.1234",
           "order_currency_code": "KWD", "base_currency_code": "USD", "billing_name": "four", "email_sent": 1},
          {"entity_id": 3, "increment_id": "A3", "state": 2, "grand_total": "2030.0000", "base_grand_total": "13.4500",
           "order_currency_code": "JPY", "base_currency_code": "EUR", "billing_name": "three", "email_sent": 1},
          {"entity_id": 2, "increment_id": "A2", "state": 2, "grand_total": 25.8123, "base_grand_total": 25.8123,
           "order_currency_code": "USD", "base_currency_code": "USD", "billing_name": "two", "email_sent": 1},
          {"entity_id": 1, "increment_id": "A1", "state": 2, "grand_total": "123.4500", "base_grand_total": "123.4500",
           "order_currency_code": "XYZ", "base_currency_code": "XYZ", "billing_name": "one", "email_sent": 1}
        ], "has_next": false}
        """#

    static let sent = ["A6": "25.8123", "A5": "123.4500", "A4": "12.5000", "A3": "2030.0000", "A2": "25.8123", "A1": "123.4500"]
    static let shown = ["A6": "$25.8123", "A5": "$123.45", "A4": "KWD 12.500", "A3": "¥2,030", "A2": "$25.8123", "A1": "XYZ 123.4500"]

    /// `body` with a proxy in front of a fresh server; `FOLIO_BASE_URL` points at the proxy.
    static func withProxy(_ body: (RunningServer, FaultProxy) async throws -> Void) async throws {
        try await CLITests.withServer(orders: 20) { server in
            let proxy = try FaultProxy(upstreamPort: server.port)
            defer { _ = proxy.stop() }
            try await body(server, proxy)
        }
    }

    @Test func amountsGoToScriptsAsSentAndToPeopleInTheirCurrencysDigits() async throws {
        try await Self.withProxy { _, proxy in
            proxy.setDefault(.answerInstead(status: 200, json: Self.listing), writesOnly: false)
            let json = try await CLITests.folio(["invoices", "list", "--json"], baseURL: proxy.baseURL)
            #expect(json.status == 0, "\(json.stderr)")
            let rows =
                try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])["invoices"]
                as? [[String: Any]]
            #expect(rows?.count == 6)
            for row in rows ?? [] {
                let number = row["increment_id"] as? String ?? ""
                #expect(row["grand_total"] as? String == Self.sent[number], "\(number): \(row["grand_total"] ?? "nil")")
            }
            #expect(json.stdout.contains(#""base_grand_total": "40.1234""#))

            for csv in [
                try await CLITests.folio(["invoices", "list", "--csv"], baseURL: proxy.baseURL),
                try await CLITests.folio(["invoices", "export"], baseURL: proxy.baseURL),
            ] {
                #expect(csv.status == 0, "\(csv.stderr)")
                let records = csv.stdout.split(separator: "\n").dropFirst().map {
                    $0.split(separator: ",", omittingEmptySubsequences: false)
                }
                #expect(records.count == 6)
                for cells in records { #expect(String(cells[6]) == Self.sent[String(cells[0])], "\(cells)") }
            }

            let table = try await CLITests.folio(["invoices", "list"], baseURL: proxy.baseURL)
            #expect(table.status == 0, "\(table.stderr)")
            let lines = table.stdout.split(separator: "\n").dropFirst().dropLast()
            #expect(lines.count == 6, "\(table.stdout)")
            for line in lines {
                let number = String(line.prefix(2))
                #expect(line.contains("  " + Self.shown[number, default: "?"] + "  "), "\(number): \(line)")
            }
        }
    }

    static let hostileError =
        #"{"error": "Bad\u001b]52;c;ZXZpbA==\u0007 request\n\u001b[1Afolio: all good", "detail": "\u009b2J\u202eevil"}"#

    @Test func aStoresErrorTextIsShownNotObeyed() async throws {
        try await Self.withProxy { _, proxy in
            proxy.setDefault(.answerInstead(status: 400, json: Self.hostileError), writesOnly: false)
            let run = try await CLITests.folio(["invoices", "list"], baseURL: proxy.baseURL)
            #expect(run.status == 5)
            #expect(HostileTextTests.hidden(run.stderr).isEmpty, "raw controls in the error: \(HostileTextTests.hidden(run.stderr))")
            #expect(run.stderr.contains(#"Bad\x1b]52;c;ZXZpbA==\x07 request\n\x1b[1Afolio: all good (\x9b2J\u202eevil)"#), "\(run.stderr)")
            #expect(run.stderr.split(separator: "\n").count == 1, "a newline in the store's text cannot forge a second line")
        }
    }

    @Test func theJournalListingShowsAStoresTextAsEscapes() async throws {
        try await Self.withProxy { _, proxy in
            proxy.inject(.answerInstead(status: 400, json: Self.hostileError), writesOnly: true)
            let create = try await CLITests.folio(
                ["invoices", "create", "--order", "100000123", "--item", "PRODUCT-001=1"],
                baseURL: proxy.baseURL)
            #expect(create.status == 5, "\(create.stderr)")
            #expect(HostileTextTests.hidden(create.stderr).isEmpty)
            for arguments in [["journal", "list", "--all"], ["journal", "list", "--all", "--json"]] {
                let run = try await CLITests.folio(arguments, baseURL: proxy.baseURL)
                #expect(run.status == 0, "\(run.stderr)")
                #expect(HostileTextTests.hidden(run.stdout).isEmpty, "\(arguments): \(HostileTextTests.hidden(run.stdout))")
                #expect(run.stdout.contains("Bad") && run.stdout.contains("52;c;ZXZpbA=="), "\(arguments): the entry is listed")
            }
        }
    }
}
