import Foundation
import GRDB

/// The `idempotency_keys` table: which answer each caller's key has.
///
/// - Recorded: 2xx and 4xx answers, the request's definite outcome, except the
///   4xx that mean "try again" (408, 409, 425, 429). Not recorded: 5xx (the
///   gateway refusal and 503 roll back with nothing saved), so a retry with the
///   same key runs again.
/// - In flight: `claim` writes a row without an answer in the same transaction
///   as the work; `record` fills in the final answer (for create, after the
///   email, so the stored body is the one returned). A request that finds a row
///   without an answer gets 409 at once rather than waiting (as the IETF
///   Idempotency-Key draft has it). If the work committed but no answer could be
///   made (a storage failure afterwards, a crash), the row stays in flight until
///   it expires: the write is never repeated for that key. A row left in flight
///   by an earlier run of the server (its owner names another run) is said to
///   be interrupted, not in progress.
/// - Keys live 24 hours by the server's clock; older rows are ignored, and
///   pruned by the next claim or record.
struct IdempotencyStore: Sendable {
    static let lifetime: Int64 = 24 * 3600
    /// This run of the server: the first part of every owner it writes.
    static let run = UUID().uuidString

    let database: any DatabaseWriter
    /// The server's clock, `YYYY-MM-DD HH:MM:SS` UTC (see `Timestamp`).
    let clock: @Sendable () -> String

    func claim(principal: String, key: String, fingerprint: String) -> IdempotencyClaim {
        IdempotencyClaim(
            principal: principal, key: key, fingerprint: fingerprint,
            owner: Self.run + "/" + UUID().uuidString, store: self)
    }

    /// Throws the refusal for a key already on record; a read, before any work.
    func check(_ claim: IdempotencyClaim) async throws {
        let (_, cutoff) = instants()
        let row = try await database.read { db in try Self.live(claim, db, after: cutoff) }
        if let row, let refusal = Self.refusal(row, claim) { throw refusal }
    }

    /// Records the key as in flight; see `IdempotencyClaim.claim`.
    func claim(_ claim: IdempotencyClaim, _ db: Database) throws {
        let (now, cutoff) = instants()
        try Self.prune(db, cutoff: cutoff)
        if let row = try Self.live(claim, db, after: cutoff) {
            if let refusal = Self.refusal(row, claim) { throw refusal }
            return  // this request's own row: claimed by an earlier write of the same request
        }
        try IdempotencyKeyRow(
            principal: claim.principal, idempotencyKey: claim.key, fingerprint: claim.fingerprint,
            owner: claim.owner, createdAt: now, answerStatus: nil, answerBody: nil
        ).insert(db)
    }

    /// Keeps `answer` as the key's first answer; or, when another request with
    /// the key got there first, throws that request's refusal (its answer to
    /// replay, 409 or 422), so that every answer to a key agrees.
    func record(_ answer: RecordedAnswer, for claim: IdempotencyClaim) async throws {
        let (now, cutoff) = instants()
        try await database.write { db in
            try Self.prune(db, cutoff: cutoff)
            if var row = try Self.live(claim, db, after: cutoff) {
                if let refusal = Self.refusal(row, claim) { throw refusal }
                row.answerStatus = answer.status
                row.answerBody = answer.body
                try row.update(db)
            } else {
                try IdempotencyKeyRow(
                    principal: claim.principal, idempotencyKey: claim.key,
                    fingerprint: claim.fingerprint, owner: claim.owner, createdAt: now,
                    answerStatus: answer.status, answerBody: answer.body
                ).insert(db)
            }
        }
    }

    private static func prune(_ db: Database, cutoff: String) throws {
        try IdempotencyKeyRow.filter { $0.createdAt <= cutoff }.deleteAll(db)
    }

    /// The key's row unless it has expired.
    private static func live(_ claim: IdempotencyClaim, _ db: Database, after cutoff: String) throws -> IdempotencyKeyRow? {
        try IdempotencyKeyRow
            .filter { $0.principal == claim.principal && $0.idempotencyKey == claim.key && $0.createdAt > cutoff }
            .fetchOne(db)
    }

    /// Nil only for this request's own in-flight row.
    private static func refusal(_ row: IdempotencyKeyRow, _ claim: IdempotencyClaim) -> IdempotencyRefusal? {
        guard row.fingerprint == claim.fingerprint else { return .reused }
        if let status = row.answerStatus, let body = row.answerBody {
            return .replay(RecordedAnswer(status: status, body: body))
        }
        if row.owner == claim.owner { return nil }
        return row.owner.hasPrefix(Self.run + "/") ? .inProgress : .interrupted
    }

    /// Now, and the instant at or before which a key has expired, as timestamps.
    private func instants() -> (now: String, cutoff: String) {
        let now = clock()
        let seconds = Timestamp.parseBound(now)?.unixSeconds ?? Int64(Date().timeIntervalSince1970)
        return (now, Timestamp.string(unixSeconds: seconds - Self.lifetime))
    }
}
