/// Who a caller is and what it may do. The admin detail needs `sales.invoices.view`.
struct Principal: Sendable {
    /// What a store grants: the API's own permissions.
    static let allPermissions: Set<String> = [
        "sales.invoices.view", "sales.invoices.create", "sales.invoices.email", "sales.orders.view",
    ]
    /// The reference server's `/sandbox` (fault switches, the outbox): only the
    /// full fixed tokens of whoever runs the server have it, never a limited
    /// token or an OAuth client, which stand for the store's integrations.
    static let sandbox = "folio.sandbox"
    /// `token:<digest>` for a fixed token, `client:<id>` for an OAuth client, so
    /// that a client keeps its identity (and its idempotency keys) across renewed tokens.
    let id: String
    let permissions: Set<String>
}
