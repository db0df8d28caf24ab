import Logging

/// What every route handler needs: the stores (the only way to the
/// database), who may call, the fault switches.
struct ServerEnvironment: Sendable {
    let access: AccessControl
    let faults: FaultSwitches
    let invoices: InvoiceStore
    let orders: OrderStore
    let idempotency: Idempotency
    let logger: Logger
}
