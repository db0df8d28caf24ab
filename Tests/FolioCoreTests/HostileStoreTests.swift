import Foundation
import FolioServer
import FolioTestSupport
import Testing
@testable import FolioCore

/// A store (or what stands before it) that answers wrongly: each case once
/// broke the promise "no false claim", found by attacking the client.
@Suite struct HostileStoreTests {
    /// A client of `store` through a fresh fault proxy.
    func throughProxy<T>(_ store: Store, timeout: Duration = .seconds(5),
                         _ body: (APIClient, FaultProxy) async throws -> T) async throws -> T {
        let proxy = try FaultProxy(upstreamPort: store.server.port)
        defer { proxy.stop() }
        var settings = APIClient.Settings(baseURL: proxy.baseURL, profile: "test", token: .fixed(Store.token))
        settings.requestTimeout = timeout
        let client = try APIClient(settings)
        do {
            let result = try await body(client, proxy)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }

    func plan(_ client: APIClient) async throws -> CapturePlan {
        try CapturePlan(order: try await client.order(number: "100000123"), quantities: [10: 1])
    }

    @Test(arguments: [503, 303, 409, 429])
    func aRefusalFromBeforeTheStoreIsCheckedAgainstTheStore(status: Int) async throws {
        // A proxy passes the create on, then answers a "refusal" of its own.
        try await Store.with { store in
            try await throughProxy(store) { client, proxy in
                let plan = try await plan(client)
                proxy.inject(.gatewayError(status: status))
                let created = try await client.createInvoice(plan, journal: store.journal)
                #expect(created.reconciled, "\(status): found by its reference, not called refused")
                #expect(try await StoreTruth.read(store.server).invoices(carrying: created.reference.value).count == 1)
                // The same create again is held back: the first is known done.
                #expect(try store.journal.entries().map(\.status) == [.done])
            }
        }
    }

    @Test func theStoresOwnRefusalIsTakenAsItIs() async throws {
        try await Store.with { store in
            try await throughProxy(store) { client, proxy in
                let order = try await client.order(number: "100000123")
                let plan = try CapturePlan(order: order, quantities: [10: 1])
                // Another clerk takes everything first; the store refuses with its own JSON error.
                _ = try await client.createInvoice(try CapturePlan(order: order, quantities: [10: 4]), journal: store.journal)
                let refused = await failure { try await client.createInvoice(plan, journal: store.journal) }
                guard case .refused(let message, _)? = refused else { Issue.record("\(String(describing: refused))"); return }
                #expect(message == "Invalid item")
                #expect(try store.journal.entries().last?.status == .refused)
                _ = proxy
            }
        }
    }

    @Test func aTwoHundredNamingAnotherInvoiceIsNotTakenAsDone() async throws {
        try await Store.with { store in
            try await throughProxy(store) { client, proxy in
                let plan = try await plan(client)
                // A confused cache answers with invoice 456 of another order.
                let other = try await store.server.database.read { db in
                    try String.fetchOne(db, sql: "SELECT '{\"invoice\":{\"entity_id\":456,\"increment_id\":\"100000045\",\"order_increment_id\":\"100000044\",\"state\":2,\"grand_total\":1,\"order_currency_code\":\"EUR\"}}'")
                }
                proxy.inject(.answerInstead(status: 201, json: try #require(other)))
                let created = try await client.createInvoice(plan, journal: store.journal)
                #expect(created.reconciled && created.invoice.orderIncrementId == "100000123",
                        "the wrong answer was not believed; the real invoice was found by its reference")
                #expect(created.invoice.incrementId != "100000045")
                // An empty shell is no proof either; with the request never forwarded... it is unknown.
                proxy.inject(.answerInstead(status: 201, json: #"{"invoice":{"entity_id":-1,"increment_id":"","grand_total":0}}"#))
                let second = await failure {
                    try await client.createInvoice(try CapturePlan(order: try await client.order(number: "100000123"), quantities: [11: 1]),
                                                   journal: store.journal)
                }
                #expect(second == nil || second?.exitCode == 7, "\(String(describing: second))")
            }
        }
    }

    @Test func anEmailAnswerWithoutItsFlagIsCheckedOnTheInvoice() async throws {
        try await Store.with { store in
            try await throughProxy(store) { client, proxy in
                for fake in [#"{"success":false,"message":"Mailer not configured"}"#, #"{"success":true}"#] {
                    proxy.inject(.answerInstead(status: 200, json: fake))
                    let sent = try await client.resendEmail(invoiceId: 456, invoiceNumber: "100000045", comment: "called",
                                                            journal: store.journal)
                    #expect(sent.reconciled && sent.emailSent, "\(fake): the store did send; found by the reference on the invoice")
                }
                // "0" as text is "not sent", as the family writes flags.
                proxy.inject(.answerInstead(status: 200, json: #"{"success":true,"email_sent":"0"}"#))
                let unsent = try await client.resendEmail(invoiceId: 456, invoiceNumber: "100000045", comment: nil, journal: store.journal)
                #expect(!unsent.emailSent && !unsent.reconciled)
            }
        }
    }

    @Test func aTokenEchoedByTheStoreIsNeverShownNorJournaled() async throws {
        try await Store.with { store in
            try await throughProxy(store) { client, proxy in
                let plan = try await plan(client)
                proxy.inject(.answerInstead(status: 400, json: #"{"error":"Bad request","detail":"headers: Authorization=Bearer \#(Store.token)"}"#))
                let refused = await failure { try await client.createInvoice(plan, journal: store.journal) }
                let text = refused?.message ?? ""
                #expect(!text.contains(Store.token) && text.contains("[secret]"), "\(text)")
                let journal = try String(contentsOfFile: store.journal.path, encoding: .utf8)
                #expect(!journal.contains(Store.token))
            }
        }
    }

    @Test func aDrippingAnswerCannotOutlastTheTimeout() async throws {
        try await Store.with { store in
            try await throughProxy(store, timeout: .milliseconds(800)) { client, proxy in
                proxy.inject(.drip(interval: 0.2), writesOnly: false)
                let started = ContinuousClock.now
                let slow = await failure { try await client.invoices(InvoiceQuery()) }
                #expect(slow == .timeout(host: "127.0.0.1"))
                #expect(ContinuousClock.now - started < .seconds(4), "bounded by the deadline, not by the drip")
            }
        }
    }

    @Test func theJournalRefusesALinkAndAFolderOthersCanChange() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("folio-journal-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let victim = base + "/victim.txt"
        FileManager.default.createFile(atPath: victim, contents: Data("keep\n".utf8), attributes: [.posixPermissions: 0o644])
        try FileManager.default.createSymbolicLink(atPath: base + "/shop.journal", withDestinationPath: victim)
        let journal = WriteJournal(profile: "shop", directory: base)
        let intent = JournalEntry.Intent(kind: .invoiceCreate, profile: "shop", orderNumber: "1", summary: [], body: "{}")
        #expect(throws: FolioError.self) { try journal.begin(intent, reference: .make()) }
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "keep\n")
        #expect((try FileManager.default.attributesOfItem(atPath: victim)[.posixPermissions] as? NSNumber)?.intValue == 0o644)
        try FileManager.default.removeItem(atPath: base + "/shop.journal")
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: base)
        #expect(throws: FolioError.self) { try journal.begin(intent, reference: .make()) }
    }
}
