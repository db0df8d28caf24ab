import FolioServer
import FolioTestSupport
import Foundation
import Testing

@testable import FolioCore

/// Finding a caller's invoices by email or name: what is typed is read
/// rightly, and a store that ignores the filter is said to, never shown.
@Suite struct CustomerSearchClientTests {
    @Test(arguments: [
        ("100000045", SearchTerm.number("100000045")),
        (" INV-2026_7 ", .number("INV-2026_7")),
        ("zoe.fassbender@example.com", .customer(.email("zoe.fassbender@example.com"))),
        ("Zoë@Example.COM", .customer(.email("Zoë@Example.COM"))),
        ("muller", .customer(.name("muller"))),
        ("Faßbender", .customer(.name("Faßbender"))),
        ("O'Brien", .customer(.name("O'Brien"))),
        ("van der Berg", .customer(.name("van der Berg"))),
        ("李", .customer(.name("李"))),
        ("#000000045", .number("000000045")),
        ("１０００００４５", .number("10000045")),
        ("<zoe@example.com>,", .customer(.email("zoe@example.com"))),
    ])
    func whatWasTypedIsReadAsWhatItIs(typed: String, read: SearchTerm) throws {
        #expect(try SearchTerm.reading(typed) == read)
    }

    @Test(arguments: [
        "", "   ", "a", "@", "zoe@", "@example.com", "zoe@example", "zoe@.com", "a b@c.d", "x\u{1B}[2J", "\u{202E}abc",
        String(repeating: "a", count: 255),
    ])
    func nonsenseIsRefusedWithWhy(typed: String) {
        #expect(throws: FolioError.self) { try SearchTerm.reading(typed) }
    }

    @Test func theRowCheckFoldsWhatStoresFold() {
        func invoice(name: String?, email: String?) -> InvoiceSummary {
            InvoiceSummary(
                id: 1, incrementId: "1", state: .paid, grandTotal: Money(1, "EUR"), billingName: name,
                customerEmail: email)
        }
        let zoe = invoice(name: "Zoë  Faßbender", email: "Zoe.Fassbender@Example.com ")
        #expect(CustomerFilter.email("zoe.fassbender@example.com").matches(zoe))
        #expect(!CustomerFilter.email("zoe.fassbender@example.co").matches(zoe))
        for needle in ["zoe", "ZOË", "fassbender", "faßbender", "FASSBENDER", "zoe fass", "ë"] {
            #expect(CustomerFilter.name(needle).matches(zoe), "\(needle)")
        }
        #expect(CustomerFilter.name("soren").matches(invoice(name: "Søren Kierkegaard", email: nil)))
        #expect(CustomerFilter.name("hasan").matches(invoice(name: "Ħasan Ŧest", email: nil)))
        // What an attack on the check found: each of these the store matches.
        #expect(CustomerFilter.name("प्र").matches(invoice(name: "प्रिया शर्मा", email: nil)), "a letter before its vowel sign")
        #expect(
            CustomerFilter.name("dana levi").matches(invoice(name: "Dana \u{200F} Levi", email: nil)), "an invisible mark between spaces")
        #expect(CustomerFilter.name("παππας").matches(invoice(name: "ΠΑΠΠΑΣ", email: nil)), "final sigma")
        #expect(CustomerFilter.name("griffiths").matches(invoice(name: "Griﬃths", email: nil)), "a ligature")
        #expect(CustomerFilter.name("muller").matches(invoice(name: "Mül\u{AD}ler", email: nil)), "a soft hyphen is invisible")
        #expect(CustomerFilter.name("muller").matches(invoice(name: "Jürgen MÜLLER", email: nil)))
        #expect(CustomerFilter.name("jose").matches(invoice(name: "Jose\u{301} Martí", email: nil)), "decomposed accents too")
        #expect(!CustomerFilter.name("miller").matches(invoice(name: "Jürgen Müller", email: nil)))
        #expect(!CustomerFilter.name("zoe").matches(invoice(name: nil, email: "zoe@example.com")), "no name is no match")
        #expect(!CustomerFilter.email("zoe@example.com").matches(invoice(name: "Zoe", email: nil)))
    }

    /// On the reference server: an email finds exactly that customer's
    /// invoices (any case), a name fragment finds the names that contain it,
    /// accents folded; both checked against the store's own rows.
    @Test func theReferenceServerFindsACustomersInvoicesAndOnlyThose() async throws {
        try await Store.with(orders: 400) { store in
            // The email with the most invoices, from the store's side.
            let email = try await store.server.database.read { db in
                try String.fetchOne(
                    db, sql: "SELECT lower(customer_email) FROM invoices GROUP BY lower(customer_email) ORDER BY COUNT(*) DESC LIMIT 1")
            }
            let address = try #require(email)
            let expected = try await store.count("SELECT COUNT(*) FROM invoices WHERE lower(customer_email) = '\(address)'")
            #expect(expected > 1, "a returning customer in the seed")
            try await store.client { client in
                var query = InvoiceQuery()
                query.customer = .email(address.uppercased())
                query.limit = 200
                let page = try await client.invoices(query)
                #expect(page.items.count == expected && page.total == expected)
                #expect(page.items.allSatisfy { $0.customerEmail?.lowercased() == address })
                let customer = try #require(try await client.customer(email: address.uppercased()))
                #expect(customer.email?.lowercased() == address)
                #expect(try await client.customer(email: "nobody-\(UUID())@example.com") == nil)

                query.customer = .name("fassbender")
                let named = try await client.invoices(query)
                #expect(!named.items.isEmpty && named.items.allSatisfy { ($0.billingName ?? "").contains("Faßbender") })
                let expectedNamed = try await store.count("SELECT COUNT(*) FROM invoices WHERE billing_name LIKE '%Faßbender%'")
                #expect(named.total == expectedNamed)
            }
        }
    }

    /// The issue's test double: a store that drops the filters it does not
    /// know answers everyone's invoices, and Folio says it cannot search.
    @Test(arguments: [CustomerFilter.email("zoe.fassbender@example.com"), .name("Faßbender")])
    func aStoreThatIgnoresTheFilterIsSaidToNeverShown(filter: CustomerFilter) async throws {
        try await Store.with { store in
            let proxy = try FaultProxy(upstreamPort: store.server.port)
            defer { proxy.stop() }
            proxy.dropQueryParameters(["customer_email", "billing_name"])
            try await store.client(via: proxy.baseURL) { client in
                var query = InvoiceQuery()
                query.customer = filter
                let refused = await failure { try await client.invoices(query) }
                #expect(refused == .cannotSearchByCustomer(asked: filter.label))
                #expect(refused?.exitCode == 5)
                #expect(refused?.message.contains("ask the caller for the invoice or order number") == true)
            }
        }
    }

    /// The same check for numbers: a store that ignores `increment_id[]` or
    /// `order_increment_id` never gets its other invoices shown as results.
    @Test func aStoreThatIgnoresTheNumberFiltersIsSaidToNeverShown() async throws {
        try await Store.with { store in
            let proxy = try FaultProxy(upstreamPort: store.server.port)
            defer { proxy.stop() }
            proxy.dropQueryParameters(["increment_id[]", "order_increment_id"])
            try await store.client(via: proxy.baseURL) { client in
                var byNumber = InvoiceQuery()
                byNumber.invoiceIncrementIds = ["100000045"]
                #expect(await failure { try await client.invoices(byNumber) } == .storeIgnoredFilter("invoice 100000045"))
                var byOrder = InvoiceQuery()
                byOrder.orderIncrementId = "100000044"
                #expect(await failure { try await client.invoices(byOrder) } == .storeIgnoredFilter("of order 100000044"))
            }
            // Straight to the store, the filters work and nothing is refused.
            try await store.client { client in
                var byNumber = InvoiceQuery()
                byNumber.invoiceIncrementIds = ["100000045"]
                let listed = try await client.invoices(byNumber)
                #expect(listed.items.map(\.incrementId) == ["100000045"])
            }
        }
    }
}
