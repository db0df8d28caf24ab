import GRDB
import Logging

/// What every route handler needs: storage, who may call, the fault switches.
struct ServerEnvironment: Sendable {
    let database: any DatabaseWriter
    let access: AccessControl
    let faults: FaultSwitches
    let invoices: InvoiceStore
    let idempotency: Idempotency
    let logger: Logger
}
