import Hummingbird

/// Reference-server-only endpoints for tests and demos: the email outbox and
/// the fault switches. Both need a token with the sandbox permission, since
/// the switches can make every API call fail.
struct SandboxRoutes {
    let env: ServerEnvironment

    /// 401 without a valid token, 403 with one that lacks the sandbox permission.
    private func authorize(_ request: Request) async throws {
        let principal = try await env.access.authenticate(request)
        guard principal.permissions.contains(Principal.sandbox) else { throw APIError.forbidden }
    }

    func register(on router: Router<Context>) {
        router.get("/sandbox/outbox") { request, _ in
            try await authorize(request)
            let input = try await RequestInput.read(request)
            let emails = try await env.invoices.sentEmails(invoiceId: try input.integer("invoice_id"))
            return Response.json(.object([("emails", .array(emails.map { email in
                .object([
                    ("invoice_id", .int(email.invoiceId)), ("increment_id", .string(email.incrementId)),
                    ("recipient", .string(email.recipient)), ("comment", .optional(email.comment)),
                    ("sent_at", .string(email.sentAt)),
                ])
            }))]))
        }
        router.get("/sandbox/faults") { request, _ in
            try await authorize(request)
            return Response.json(env.faults.current.json)
        }
        router.post("/sandbox/faults") { request, _ in
            try await authorize(request)
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
            let updated = env.faults.update { faults in
                if let smtp { faults.smtpFailing = smtp }
                if let drop { faults.dropAfterCreate = drop }
                if let dropBefore { faults.dropBeforeCreate = dropBefore }
                if let lock { faults.lockContention = lock }
                if let latency { faults.latencyMilliseconds = Int(latency) }
                if let failNext { faults.failNext = Int(failNext) }
            }
            env.logger.notice("faults now \(updated.json.serialized())")
            return Response.json(updated.json)
        }
    }
}
