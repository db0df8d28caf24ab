import Hummingbird
import Logging

/// `/sandbox`, the reference server's own endpoints for tests and demos: the
/// email outbox and the fault switches. Both need a token with the sandbox
/// permission, since the switches can make every API call fail.
struct SandboxController: Sendable {
    let access: AccessControl
    let invoices: InvoiceStore
    let faults: FaultSwitches
    let logger: Logger

    var endpoints: RouteCollection<Context> {
        RouteCollection(context: Context.self)
            .get("outbox", use: outbox)
            .get("faults", use: currentFaults)
            .post("faults", use: setFaults)
    }

    @Sendable func outbox(_ request: Request, context: Context) async throws -> Response {
        _ = try await access.authorize(request, Principal.sandbox)
        let input = try await RequestInput.read(request)
        let emails = try await invoices.sentEmails(
            invoiceId: try input.integer("invoice_id"), creditMemoId: try input.integer("creditmemo_id"))
        return .json(
            .object([
                (
                    "emails",
                    .array(
                        emails.map { email in
                            .object([
                                ("invoice_id", .int(email.invoiceId)), ("increment_id", .string(email.incrementId)),
                                ("recipient", .string(email.recipient)), ("comment", .optional(email.comment)),
                                ("sent_at", .string(email.sentAt)), ("creditmemo_id", .optional(email.creditmemoId)),
                            ])
                        })
                )
            ]))
    }

    @Sendable func currentFaults(_ request: Request, context: Context) async throws -> Response {
        _ = try await access.authorize(request, Principal.sandbox)
        return .json(faults.current.json)
    }

    @Sendable func setFaults(_ request: Request, context: Context) async throws -> Response {
        _ = try await access.authorize(request, Principal.sandbox)
        let input = try await RequestInput.read(request)
        let smtp = try input.has("smtp_failing") ? input.flag("smtp_failing") : nil
        let drop = try input.has("drop_after_create") ? input.flag("drop_after_create") : nil
        let dropBefore = try input.has("drop_before_create") ? input.flag("drop_before_create") : nil
        let lock = try input.has("lock_contention") ? input.flag("lock_contention") : nil
        let latency = try input.integer("latency_ms")
        let failNext = try input.integer("fail_next")
        if let failNext, !(0...1_000).contains(failNext) {
            throw APIError.invalidParameter("fail_next", "expected 0 to 1000")
        }
        if let latency, !(0...60_000).contains(latency) {
            throw APIError.invalidParameter("latency_ms", "expected 0 to 60000")
        }
        let updated = faults.update { faults in
            if let smtp { faults.smtpFailing = smtp }
            if let drop { faults.dropAfterCreate = drop }
            if let dropBefore { faults.dropBeforeCreate = dropBefore }
            if let lock { faults.lockContention = lock }
            if let latency { faults.latencyMilliseconds = Int(latency) }
            if let failNext { faults.failNext = Int(failNext) }
        }
        logger.notice("faults now \(updated.json.serialized())")
        return .json(updated.json)
    }
}
