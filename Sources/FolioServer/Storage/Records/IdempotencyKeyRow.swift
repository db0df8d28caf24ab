import Foundation
import GRDB

struct IdempotencyKeyRow: SnakeCaseRecord, Sendable {
    static let databaseTableName = "idempotency_keys"
    /// Who sent the key (`Principal.id`): keys of different callers never meet.
    var principal: String
    var idempotencyKey: String
    /// `RequestFingerprint` of the first request that used the key.
    var fingerprint: String
    /// A random id of the request that wrote the row, so that it can tell its
    /// own in-flight row from a concurrent request's.
    var owner: String
    var createdAt: String
    /// The first answer; both nil while that request is still in flight.
    var answerStatus: Int?
    var answerBody: Data?

    enum Columns {
        static let principal = Column("principal")
        static let idempotencyKey = Column("idempotency_key")
        static let createdAt = Column("created_at")
    }
}
