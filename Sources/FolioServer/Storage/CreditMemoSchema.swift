import GRDB

/// The "v10 credit memos" migration (registered in `Schema`): the credit
/// memos themselves, and what was refunded against each invoice line, order
/// item, invoice and order.
///
/// Every tally starts at zero, which is the truth for a store from before
/// credit memos existed: nothing of it was ever refunded (the `qty_refunded`
/// of `order_items`, in the schema since v1, was never written).
enum CreditMemoSchema {
    static func migrate(_ db: Database) throws {
        // The tallies of an invoice line and of an order item: quantities ×10 000,
        // amounts in minor units, order and base currency, as for what was invoiced.
        let lineTallies = [
            "row_refunded", "base_row_refunded", "tax_refunded", "base_tax_refunded",
            "discount_refunded", "base_discount_refunded",
        ]
        try db.execute(
            sql: "ALTER TABLE invoice_items ADD COLUMN qty_refunded INTEGER NOT NULL DEFAULT 0 CHECK (qty_refunded BETWEEN 0 AND qty)")
        for column in lineTallies {
            try db.execute(sql: "ALTER TABLE invoice_items ADD COLUMN \(column) INTEGER NOT NULL DEFAULT 0")
            try db.execute(sql: "ALTER TABLE order_items ADD COLUMN \(column) INTEGER NOT NULL DEFAULT 0")
        }
        try db.execute(
            sql: """
                -- What was refunded against each invoice (no row: nothing yet). Money
                -- in minor units; an order-source credit memo books its total over
                -- the order's invoices (see CreditMemoCalculator).
                CREATE TABLE invoice_refunds (
                    invoice_id INTEGER PRIMARY KEY REFERENCES invoices(entity_id),
                    total_refunded INTEGER NOT NULL CHECK (total_refunded >= 0),
                    base_total_refunded INTEGER NOT NULL CHECK (base_total_refunded >= 0),
                    shipping_refunded INTEGER NOT NULL CHECK (shipping_refunded >= 0),
                    base_shipping_refunded INTEGER NOT NULL,
                    shipping_tax_refunded INTEGER NOT NULL,
                    base_shipping_tax_refunded INTEGER NOT NULL
                );

                -- What was refunded on each order, every credit memo's figures summed.
                CREATE TABLE order_refunds (
                    order_id INTEGER PRIMARY KEY REFERENCES orders(entity_id),
                    total_refunded INTEGER NOT NULL CHECK (total_refunded >= 0),
                    base_total_refunded INTEGER NOT NULL CHECK (base_total_refunded >= 0),
                    subtotal_refunded INTEGER NOT NULL, base_subtotal_refunded INTEGER NOT NULL,
                    tax_refunded INTEGER NOT NULL, base_tax_refunded INTEGER NOT NULL,
                    discount_refunded INTEGER NOT NULL, base_discount_refunded INTEGER NOT NULL,
                    shipping_refunded INTEGER NOT NULL, base_shipping_refunded INTEGER NOT NULL,
                    shipping_tax_refunded INTEGER NOT NULL, base_shipping_tax_refunded INTEGER NOT NULL,
                    adjustment_positive INTEGER NOT NULL, base_adjustment_positive INTEGER NOT NULL,
                    adjustment_negative INTEGER NOT NULL, base_adjustment_negative INTEGER NOT NULL
                );

                CREATE TABLE creditmemos (
                    entity_id INTEGER PRIMARY KEY,
                    increment_id TEXT NOT NULL UNIQUE,
                    order_id INTEGER NOT NULL REFERENCES orders(entity_id),
                    order_increment_id TEXT NOT NULL,
                    invoice_id INTEGER NOT NULL REFERENCES invoices(entity_id),
                    invoice_increment_id TEXT NOT NULL,
                    source TEXT NOT NULL CHECK (source IN ('invoice', 'order')),
                    refund_type TEXT NOT NULL CHECK (refund_type IN ('online', 'offline')),
                    transaction_id TEXT,
                    state INTEGER NOT NULL CHECK (state IN (1, 2, 3)),
                    email_sent INTEGER NOT NULL DEFAULT 0,
                    subtotal INTEGER NOT NULL, base_subtotal INTEGER NOT NULL,
                    tax_amount INTEGER NOT NULL, base_tax_amount INTEGER NOT NULL,
                    discount_amount INTEGER NOT NULL, base_discount_amount INTEGER NOT NULL,
                    shipping_amount INTEGER NOT NULL, base_shipping_amount INTEGER NOT NULL,
                    shipping_tax_amount INTEGER NOT NULL, base_shipping_tax_amount INTEGER NOT NULL,
                    adjustment_positive INTEGER NOT NULL, base_adjustment_positive INTEGER NOT NULL,
                    adjustment_negative INTEGER NOT NULL, base_adjustment_negative INTEGER NOT NULL,
                    grand_total INTEGER NOT NULL CHECK (grand_total >= 0),
                    base_grand_total INTEGER NOT NULL CHECK (base_grand_total >= 0),
                    total_qty INTEGER NOT NULL,
                    order_currency_code TEXT NOT NULL, base_currency_code TEXT NOT NULL,
                    created_at TEXT NOT NULL, updated_at TEXT NOT NULL
                );
                CREATE INDEX creditmemos_order ON creditmemos(order_id);
                CREATE INDEX creditmemos_invoice ON creditmemos(invoice_id);

                -- One row per invoice line refunded: an order-source credit memo that
                -- takes an item from two invoices has two rows for it.
                CREATE TABLE creditmemo_items (
                    entity_id INTEGER PRIMARY KEY,
                    creditmemo_id INTEGER NOT NULL REFERENCES creditmemos(entity_id),
                    invoice_id INTEGER NOT NULL REFERENCES invoices(entity_id),
                    invoice_item_id INTEGER NOT NULL REFERENCES invoice_items(entity_id),
                    order_item_id INTEGER NOT NULL REFERENCES order_items(item_id),
                    sku TEXT NOT NULL, name TEXT NOT NULL,
                    qty INTEGER NOT NULL CHECK (qty > 0),
                    price INTEGER NOT NULL, base_price INTEGER NOT NULL,
                    row_total INTEGER NOT NULL, base_row_total INTEGER NOT NULL,
                    tax_amount INTEGER NOT NULL, base_tax_amount INTEGER NOT NULL,
                    discount_amount INTEGER NOT NULL, base_discount_amount INTEGER NOT NULL
                );
                CREATE INDEX creditmemo_items_creditmemo ON creditmemo_items(creditmemo_id);

                CREATE TABLE creditmemo_comments (
                    id INTEGER PRIMARY KEY,
                    creditmemo_id INTEGER NOT NULL REFERENCES creditmemos(entity_id),
                    comment TEXT NOT NULL,
                    is_customer_notified INTEGER NOT NULL,
                    created_at TEXT NOT NULL
                );
                CREATE INDEX creditmemo_comments_creditmemo ON creditmemo_comments(creditmemo_id);

                -- One row: the last credit memo number issued (see DocumentNumbers).
                CREATE TABLE creditmemo_numbers (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    last_issued INTEGER NOT NULL
                );

                -- A credit memo's email is an outbox row too, naming its credit memo
                -- (no REFERENCES: SQLite cannot drop a column that has one, and the
                -- migration tests take a store back to before this migration).
                ALTER TABLE outbox ADD COLUMN creditmemo_id INTEGER;
                """)
    }
}
