import FolioServer
import FolioTestSupport
import Foundation
import Testing

@testable import FolioCore

/// A store (or what stands before it) that answers wrongly: each case once
/// broke the promise "no false claim", found by attacking the client.
@Suite struct HostileStoreTests {
    /// A client of `store` through a fresh fault proxy.
    func throughProxy<T>(
        _ store: Store, timeout: Duration = .seconds(5),
        _ body: (APIClient, FaultProxy) async throws -> T
    ) async throws -> T {
        let proxy = try FaultProxy(upstreamPort: store.server.port)
        defer { proxy.stop() }
        return try await store.client(via: proxy.baseURL, tune: { $0.requestTimeout = timeout }) { try await body($0, proxy) }
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
                // The journal knows it done, and which invoice it made.
                #expect(try store.journal.entries().map(\.status) == [.done])
                #expect(try store.journal.entries().map { $0.invoice?.id } == [created.invoice.id])
            }
        }
    }

    @Test(arguments: [503, 409, 429, 302])
    func aRefusalFromBeforeTheStoreThatPassesTheRequestOnLaterIsUnknown(status: Int) async throws {
        // The proxy says no at once and passes the request on later: not finding it proves nothing.
        try await Store.with { store in
            try await throughProxy(store) { client, proxy in
                let plan = try await plan(client)
                proxy.inject(.answerThenHold(status: status))
                let failed = await failure { try await client.createInvoice(plan, journal: store.journal) }
                guard case .outcomeUnknown(_, let reference, _)? = failed else {
                    Issue.record("\(status): \(String(describing: failed))")
                    return
                }
                #expect(!(failed?.message.contains("retry") ?? true) || failed!.message.contains("do not repeat"))
                proxy.forwardHeld()
                #expect(await proxy.drain(timeout: 10))
                let looked = try await client.resolveOpenWrites(store.journal)
                #expect(looked.map(\.status) == [.done], "found once the request reached the store")
                #expect(try await StoreTruth.read(store.server).invoices(carrying: reference).count == 1)
            }
        }
    }

    @Test func aRedirectToSendItElsewhereIsRefusedOnceNothingCarriesTheReference() async throws {
        try await Store.with { store in
            try await throughProxy(store) { client, proxy in
                proxy.inject(.redirect(location: "https://elsewhere.example/api2/invoice/create"))
                let refused = await failure { try await client.createInvoice(try await plan(client), journal: store.journal) }
                #expect(refused == .redirected(status: 307, location: "https://elsewhere.example/api2/invoice/create"))
                let statuses = try store.journal.entries().map(\.status)
                #expect(statuses == [.refused])
            }
        }
    }

    @Test func anotherProfileOnTheSameStoreSharesItsPendingWrites() async throws {
        try await Store.with(faults: Faults(dropBeforeCreate: true)) { store in
            let folder = (store.journal.path as NSString).deletingLastPathComponent
            let first = WriteJournal(profile: "desk", directory: folder)
            let second = WriteJournal(profile: "erp", directory: folder)
            let plan: CapturePlan = try await store.client { client in try await self.plan(client) }
            let lost = try await store.client(tune: { $0.profile = "desk" }) { client in
                await failure { try await client.createInvoice(plan, journal: first) }
            }
            guard case .outcomeUnknown(_, let reference, _)? = lost else {
                Issue.record("\(String(describing: lost))")
                return
            }
            try await store.faults(#"{"drop_before_create": false}"#)
            let again = try await store.client(tune: { $0.profile = "erp" }) { client in
                await failure { try await client.createInvoice(plan, journal: second) }
            }
            #expect(again == .pendingWrite(what: "order 100000123", reference: reference), "the same store through another profile")
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
                guard case .refused(let message, _)? = refused else {
                    Issue.record("\(String(describing: refused))")
                    return
                }
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
                    try String.fetchOne(
                        db,
                        sql:
                            "SELECT '{\"invoice\":{\"entity_id\":456,\"increment_id\":\"100000045\",\"order_increment_id\":\"100000044\",\"state\":2,\"grand_total\":1,\"order_currency_code\":\"EUR\"}}'"
                    )
                }
                proxy.inject(.answerInstead(status: 201, json: try #require(other)))
                let created = try await client.createInvoice(plan, journal: store.journal)
                #expect(
                    created.reconciled && created.invoice.orderIncrementId == "100000123",
                    "the wrong answer was not believed; the real invoice was found by its reference")
                #expect(created.invoice.incrementId != "100000045")
                // An empty shell is no proof either: the store did take the request (the proxy
                // passed it on), so the invoice is found by its reference, never the shell believed.
                proxy.inject(.answerInstead(status: 201, json: #"{"invoice":{"entity_id":-1,"increment_id":"","grand_total":0}}"#))
                let second = try await client.createInvoice(
                    try CapturePlan(order: try await client.order(number: "100000123"), quantities: [11: 1]), journal: store.journal)
                #expect(second.reconciled && second.invoice.id > 0 && !second.invoice.incrementId.isEmpty)
                #expect(try await StoreTruth.read(store.server).invoices(carrying: second.reference.value) == [second.invoice.id])
            }
        }
    }

    @Test func anEmailAnswerWithoutItsFlagIsCheckedOnTheInvoice() async throws {
        try await Store.with { store in
            try await throughProxy(store) { client, proxy in
                for fake in [
                    #"{"success":false,"message":"Mailer not configured"}"#, #"{"success":true,"invoice_id":456}"#,
                    #"{"success":true,"invoice_id":1,"email_sent":1}"#,
                ] {
                    proxy.inject(.answerInstead(status: 200, json: fake))
                    let sent = try await client.resendEmail(
                        invoiceId: 456, invoiceNumber: "100000045", comment: "called",
                        journal: store.journal)
                    #expect(sent.reconciled && sent.emailSent, "\(fake): the store did send; found by the reference on the invoice")
                }
                // "0" as text is "not sent", as the family writes flags.
                proxy.inject(.answerInstead(status: 200, json: #"{"success":true,"invoice_id":"456","email_sent":"0"}"#))
                let unsent = try await client.resendEmail(invoiceId: 456, invoiceNumber: "100000045", comment: nil, journal: store.journal)
                #expect(!unsent.emailSent && !unsent.reconciled)
            }
        }
    }

    @Test func aTokenEchoedByTheStoreIsNeverShownNorJournaled() async throws {
        try await Store.with { store in
            try await throughProxy(store) { client, proxy in
                let plan = try await plan(client)
                proxy.inject(
                    .answerInstead(status: 400, json: #"{"error":"Bad request","detail":"headers: Authorization=Bearer \#(Store.token)"}"#))
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

    @Test func aWriteThatNeverLeftIsRefusedAndSaysNothingWasSent() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("folio-journal-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let journal = WriteJournal(profile: "p", directory: folder)
        // A port nothing listens on: the connection is never made.
        let client = try APIClient(.init(baseURL: "http://127.0.0.1:1", profile: "p", token: .fixed("t")))
        let order = try JSONDecoder().decode(
            Order.self,
            from: Data(
                """
                {"entity_id": 123, "increment_id": "100000123", "order_currency_code": "USD", "items": [{"item_id": 10,
                 "sku": "24-MB01", "name": "Bag", "is_qty_decimal": 0, "qty_ordered": 4, "qty_invoiced": 0, "qty_canceled": 0,
                 "qty_to_invoice": 4}]}
                """.utf8))
        let failed = await failure { try await client.createInvoice(try CapturePlan(order: order, quantities: [10: 1]), journal: journal) }
        await client.shutdown()
        guard case .network? = failed else {
            Issue.record("\(String(describing: failed))")
            return
        }
        #expect(failed?.exitCode == 6)
        let entries = try journal.entries()
        #expect(entries.count == 1 && entries[0].status == .refused && entries[0].explanation.hasPrefix("not sent"))
    }

    @Test func aWriteMet401RenewsTheOAuthTokenAndWritesOnce() async throws {
        try await Store.with { store in
            try await store.client(token: .oauthClient(id: TestServer.client.id, secret: TestServer.client.secret)) { client in
                let plan = try await plan(client)  // a read: the first token is issued
                // The store forgets every access token (a restart, a revocation): the write meets a 401.
                try await store.server.database.write { db in try db.execute(sql: "DELETE FROM oauth_tokens WHERE kind = 'access'") }
                let before = try await store.count("SELECT COUNT(*) FROM invoices")
                let created = try await client.createInvoice(plan, journal: store.journal)
                #expect(!created.reconciled)
                #expect(try await store.count("SELECT COUNT(*) FROM invoices") == before + 1, "renewed once, written once")
            }
        }
    }

    @Test func theJournalRefusesALinkAndAFolderOthersCanChange() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("folio-journal-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let victim = base + "/victim.txt"
        #expect(FileManager.default.createFile(atPath: victim, contents: Data("keep\n".utf8), attributes: [.posixPermissions: 0o644]))
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
