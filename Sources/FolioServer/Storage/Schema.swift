import GRDB

/// The reference server's schema, built by GRDB's migrator so that a database
/// from an older build is brought forward rather than rebuilt.
///
/// Money columns hold integer minor units of their currency; quantity columns
/// hold quantities ×10 000 (see `Quantity`). Nothing is binary floating point.
/// Because ¥2030 is 2030 minor units and $25.81 is 2581, sorting by
/// `grand_total` uses `grand_total_face`, the amount in ten-thousandths of a
/// unit of any currency (`face_factor` = 10^(4 − minor digits)), so that the
/// order is the one a person reading the column expects.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 orders and invoices") { db in
            try db.execute(
                sql: """
                    CREATE TABLE orders (
                        entity_id INTEGER PRIMARY KEY,
                        increment_id TEXT NOT NULL UNIQUE,
                        state TEXT NOT NULL,
                        status TEXT NOT NULL,
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL,
                        customer_name TEXT NOT NULL,
                        customer_email TEXT NOT NULL,
                        channel_name TEXT NOT NULL,
                        order_currency_code TEXT NOT NULL,
                        base_currency_code TEXT NOT NULL,
                        payment_method TEXT NOT NULL,
                        subtotal INTEGER NOT NULL, base_subtotal INTEGER NOT NULL,
                        tax_amount INTEGER NOT NULL, base_tax_amount INTEGER NOT NULL,
                        discount_amount INTEGER NOT NULL, base_discount_amount INTEGER NOT NULL,
                        shipping_amount INTEGER NOT NULL, base_shipping_amount INTEGER NOT NULL,
                        shipping_tax_amount INTEGER NOT NULL, base_shipping_tax_amount INTEGER NOT NULL,
                        grand_total INTEGER NOT NULL, base_grand_total INTEGER NOT NULL,
                        face_factor INTEGER NOT NULL,
                        grand_total_face INTEGER GENERATED ALWAYS AS (grand_total * face_factor) VIRTUAL,
                        shipping_invoiced INTEGER NOT NULL DEFAULT 0,
                        can_invoice INTEGER NOT NULL
                    );
                    CREATE INDEX orders_created ON orders(created_at);
                    CREATE INDEX orders_status ON orders(status, created_at);
                    CREATE INDEX orders_grand_total ON orders(grand_total_face);
                    CREATE INDEX orders_can_invoice ON orders(can_invoice, created_at);

                    CREATE TABLE order_addresses (
                        id INTEGER PRIMARY KEY,
                        order_id INTEGER NOT NULL REFERENCES orders(entity_id),
                        address_type TEXT NOT NULL CHECK (address_type IN ('order_billing', 'order_shipping')),
                        first_name TEXT NOT NULL, last_name TEXT NOT NULL, company_name TEXT,
                        street TEXT NOT NULL, city TEXT NOT NULL, region TEXT, country TEXT NOT NULL,
                        postcode TEXT NOT NULL, email TEXT NOT NULL, phone TEXT,
                        UNIQUE (order_id, address_type)
                    );

                    CREATE TABLE order_items (
                        item_id INTEGER PRIMARY KEY,
                        order_id INTEGER NOT NULL REFERENCES orders(entity_id),
                        sku TEXT NOT NULL, name TEXT NOT NULL,
                        product_id INTEGER NOT NULL, product_type TEXT NOT NULL,
                        is_qty_decimal INTEGER NOT NULL,
                        qty_ordered INTEGER NOT NULL, qty_invoiced INTEGER NOT NULL DEFAULT 0,
                        qty_canceled INTEGER NOT NULL DEFAULT 0, qty_refunded INTEGER NOT NULL DEFAULT 0,
                        price INTEGER NOT NULL, base_price INTEGER NOT NULL,
                        row_total INTEGER NOT NULL, base_row_total INTEGER NOT NULL,
                        tax_amount INTEGER NOT NULL, base_tax_amount INTEGER NOT NULL,
                        discount_amount INTEGER NOT NULL, base_discount_amount INTEGER NOT NULL,
                        row_invoiced INTEGER NOT NULL DEFAULT 0, base_row_invoiced INTEGER NOT NULL DEFAULT 0,
                        tax_invoiced INTEGER NOT NULL DEFAULT 0, base_tax_invoiced INTEGER NOT NULL DEFAULT 0,
                        discount_invoiced INTEGER NOT NULL DEFAULT 0, base_discount_invoiced INTEGER NOT NULL DEFAULT 0,
                        additional TEXT, base_image_url TEXT,
                        CHECK (qty_invoiced + qty_canceled <= qty_ordered)
                    );
                    CREATE INDEX order_items_order ON order_items(order_id);
                    CREATE INDEX order_items_sku ON order_items(order_id, sku);

                    CREATE TABLE invoices (
                        entity_id INTEGER PRIMARY KEY,
                        increment_id TEXT NOT NULL,
                        order_id INTEGER NOT NULL REFERENCES orders(entity_id),
                        order_increment_id TEXT NOT NULL,
                        state INTEGER NOT NULL CHECK (state IN (1, 2, 3)),
                        payment_status TEXT NOT NULL,
                        capture_mode TEXT NOT NULL,
                        transaction_id TEXT,
                        email_sent INTEGER NOT NULL DEFAULT 0,
                        subtotal INTEGER NOT NULL, base_subtotal INTEGER NOT NULL,
                        tax_amount INTEGER NOT NULL, base_tax_amount INTEGER NOT NULL,
                        discount_amount INTEGER NOT NULL, base_discount_amount INTEGER NOT NULL,
                        shipping_amount INTEGER NOT NULL, base_shipping_amount INTEGER NOT NULL,
                        shipping_tax_amount INTEGER NOT NULL, base_shipping_tax_amount INTEGER NOT NULL,
                        grand_total INTEGER NOT NULL, base_grand_total INTEGER NOT NULL,
                        face_factor INTEGER NOT NULL,
                        grand_total_face INTEGER GENERATED ALWAYS AS (grand_total * face_factor) VIRTUAL,
                        total_qty INTEGER NOT NULL,
                        order_currency_code TEXT NOT NULL, base_currency_code TEXT NOT NULL,
                        billing_name TEXT NOT NULL, customer_email TEXT NOT NULL,
                        reminders INTEGER NOT NULL DEFAULT 0, next_reminder_at TEXT,
                        created_at TEXT NOT NULL, updated_at TEXT NOT NULL
                    );
                    -- Every list filter × sort is served by one of these (see InvoiceListQuery
                    -- and BENCHMARKS.md). A secondary index ends in the rowid (entity_id),
                    -- which is the tie-break of every sort.
                    CREATE UNIQUE INDEX invoices_increment ON invoices(increment_id);
                    CREATE INDEX invoices_created ON invoices(created_at);
                    CREATE INDEX invoices_updated ON invoices(updated_at);
                    CREATE INDEX invoices_grand_total ON invoices(grand_total_face);
                    CREATE INDEX invoices_state ON invoices(state);
                    CREATE INDEX invoices_state_created ON invoices(state, created_at);
                    CREATE INDEX invoices_state_updated ON invoices(state, updated_at);
                    CREATE INDEX invoices_state_grand_total ON invoices(state, grand_total_face);
                    CREATE INDEX invoices_state_increment ON invoices(state, increment_id);
                    CREATE INDEX invoices_order ON invoices(order_id);
                    CREATE INDEX invoices_order_increment ON invoices(order_increment_id);

                    -- Invoices per created day and state, kept by triggers, so that the
                    -- `total` of a listing filtered by state and whole days needs no scan.
                    CREATE TABLE invoice_day_counts (
                        day TEXT NOT NULL, state INTEGER NOT NULL, n INTEGER NOT NULL,
                        PRIMARY KEY (day, state)
                    ) WITHOUT ROWID;
                    CREATE TRIGGER invoice_day_counts_insert AFTER INSERT ON invoices BEGIN
                        INSERT INTO invoice_day_counts (day, state, n) VALUES (substr(NEW.created_at, 1, 10), NEW.state, 1)
                        ON CONFLICT (day, state) DO UPDATE SET n = n + 1;
                    END;
                    CREATE TRIGGER invoice_day_counts_delete AFTER DELETE ON invoices BEGIN
                        UPDATE invoice_day_counts SET n = n - 1 WHERE day = substr(OLD.created_at, 1, 10) AND state = OLD.state;
                    END;
                    CREATE TRIGGER invoice_day_counts_update AFTER UPDATE OF state, created_at ON invoices BEGIN
                        UPDATE invoice_day_counts SET n = n - 1 WHERE day = substr(OLD.created_at, 1, 10) AND state = OLD.state;
                        INSERT INTO invoice_day_counts (day, state, n) VALUES (substr(NEW.created_at, 1, 10), NEW.state, 1)
                        ON CONFLICT (day, state) DO UPDATE SET n = n + 1;
                    END;

                    CREATE TABLE invoice_items (
                        entity_id INTEGER PRIMARY KEY,
                        invoice_id INTEGER NOT NULL REFERENCES invoices(entity_id),
                        order_item_id INTEGER NOT NULL REFERENCES order_items(item_id),
                        sku TEXT NOT NULL, name TEXT NOT NULL, qty INTEGER NOT NULL,
                        price INTEGER NOT NULL, base_price INTEGER NOT NULL,
                        row_total INTEGER NOT NULL, base_row_total INTEGER NOT NULL,
                        tax_amount INTEGER NOT NULL, base_tax_amount INTEGER NOT NULL,
                        discount_amount INTEGER NOT NULL, base_discount_amount INTEGER NOT NULL
                    );
                    CREATE INDEX invoice_items_invoice ON invoice_items(invoice_id);

                    CREATE TABLE invoice_comments (
                        id INTEGER PRIMARY KEY,
                        invoice_id INTEGER NOT NULL REFERENCES invoices(entity_id),
                        comment TEXT NOT NULL,
                        is_customer_notified INTEGER NOT NULL,
                        created_at TEXT NOT NULL
                    );
                    CREATE INDEX invoice_comments_invoice ON invoice_comments(invoice_id);

                    CREATE TABLE outbox (
                        id INTEGER PRIMARY KEY,
                        invoice_id INTEGER NOT NULL REFERENCES invoices(entity_id),
                        increment_id TEXT NOT NULL,
                        recipient TEXT NOT NULL,
                        comment TEXT,
                        sent_at TEXT NOT NULL
                    );

                    CREATE TABLE oauth_tokens (
                        token_hash TEXT PRIMARY KEY,
                        kind TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
                        client_id TEXT NOT NULL,
                        expires_at INTEGER NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v2 covering indexes for created-range scans") { db in
            // A created range sorted by another column reads these alone (no row
            // lookups) and sorts only (key, entity_id) pairs; see InvoiceListQuery.
            // grand_total_face is a virtual column, whose index entry SQLite does
            // not treat as covering: that sort reads rows, and is planned so only
            // for small ranges.
            try db.execute(
                sql: """
                    CREATE INDEX invoices_created_cover ON invoices(created_at, updated_at, increment_id, grand_total_face);
                    CREATE INDEX invoices_state_created_cover ON invoices(state, created_at, updated_at, increment_id, grand_total_face);
                    """)
        }
        migrator.registerMigration("v3 id bounds per created day") { db in
            // entity_id and increment_id never change and grow with time. Their
            // lowest and highest per created day let a listing over a created
            // range, sorted by either, start its walk at the range instead of
            // passing every newer (or older) invoice. Bounds only widen, so a
            // deleted invoice leaves them valid.
            let widen = """
                INSERT INTO invoice_day_bounds VALUES
                    (substr(NEW.created_at, 1, 10), NEW.entity_id, NEW.entity_id, NEW.increment_id, NEW.increment_id)
                ON CONFLICT (day) DO UPDATE SET
                    min_entity_id = MIN(min_entity_id, excluded.min_entity_id),
                    max_entity_id = MAX(max_entity_id, excluded.max_entity_id),
                    min_increment_id = MIN(min_increment_id, excluded.min_increment_id),
                    max_increment_id = MAX(max_increment_id, excluded.max_increment_id);
                """
            try db.execute(
                sql: """
                    CREATE TABLE invoice_day_bounds (
                        day TEXT PRIMARY KEY,
                        min_entity_id INTEGER NOT NULL, max_entity_id INTEGER NOT NULL,
                        min_increment_id TEXT NOT NULL, max_increment_id TEXT NOT NULL
                    ) WITHOUT ROWID;
                    INSERT INTO invoice_day_bounds
                        SELECT substr(created_at, 1, 10), MIN(entity_id), MAX(entity_id), MIN(increment_id), MAX(increment_id)
                        FROM invoices GROUP BY 1;
                    CREATE TRIGGER invoice_day_bounds_insert AFTER INSERT ON invoices BEGIN
                        \(widen)
                    END;
                    CREATE TRIGGER invoice_day_bounds_update AFTER UPDATE OF created_at, entity_id, increment_id ON invoices BEGIN
                        \(widen)
                    END;
                    """)
        }
        migrator.registerMigration("v4 late updates") { db in
            // updated_at is never before created_at, and most invoices are last
            // updated within a day of being created. The few updated later (a
            // resend, a cancellation) are "late"; the split lets a created range
            // sorted by updated_at seek in both halves (see InvoiceListQuery).
            try db.execute(
                sql: """
                    ALTER TABLE invoices ADD COLUMN late INTEGER
                        GENERATED ALWAYS AS (updated_at > datetime(created_at, '+1 day')) VIRTUAL;
                    CREATE INDEX invoices_late_updated ON invoices(late, updated_at, created_at, state);
                    """)
        }
        migrator.registerMigration("v5 compact id order") { db in
            // The table itself is in entity_id order, but skipping rows in it
            // (a deep OFFSET) reads whole rows. An index of ids alone is a
            // tenth of the size to step through; the page's rows are fetched after.
            try db.execute(sql: "CREATE INDEX invoices_id ON invoices(entity_id)")
        }
        migrator.registerMigration("v6 idempotency keys") { db in
            // One row per (caller, Idempotency-Key): the request's fingerprint and,
            // once the first request has finished, its answer. A row without an
            // answer is a request in flight; see IdempotencyStore.
            try db.execute(
                sql: """
                    CREATE TABLE idempotency_keys (
                        principal TEXT NOT NULL,
                        idempotency_key TEXT NOT NULL,
                        fingerprint TEXT NOT NULL,
                        owner TEXT NOT NULL,
                        created_at TEXT NOT NULL,
                        answer_status INTEGER,
                        answer_body BLOB,
                        PRIMARY KEY (principal, idempotency_key),
                        CHECK ((answer_status IS NULL) = (answer_body IS NULL))
                    ) WITHOUT ROWID;
                    CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
                    """)
        }
        migrator.registerMigration("v7 invoice number counter") { db in
            // One row: the last invoice number issued (see DocumentNumbers),
            // started past the highest all-digit number already stored.
            try db.execute(
                sql: """
                    CREATE TABLE invoice_numbers (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        last_issued INTEGER NOT NULL
                    );
                    INSERT INTO invoice_numbers (id, last_issued)
                        SELECT 1, MAX(100000000, COALESCE(MAX(CAST(increment_id AS INTEGER)), 0)) FROM invoices
                        WHERE increment_id NOT GLOB '*[^0-9]*' AND length(increment_id) BETWEEN 1 AND 18;
                    """)
        }
        migrator.registerMigration("v8 order history") { db in
            // The order's history (the vendor's "Status & order history"):
            // comments, status changes and the server's own events, newest
            // last by id. A store seeded before it gets a history from what
            // it already has: each invoice's creation, and its email if sent.
            try db.execute(
                sql: """
                    CREATE TABLE order_history (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        order_id INTEGER NOT NULL REFERENCES orders(entity_id),
                        comment TEXT,
                        status TEXT,
                        is_customer_notified INTEGER NOT NULL DEFAULT 0,
                        is_visible_on_front INTEGER NOT NULL DEFAULT 0,
                        created_at TEXT NOT NULL,
                        source TEXT NOT NULL CHECK (source IN ('system', 'invoice', 'email', 'creditmemo', 'integration'))
                    );
                    """)
            try OrderHistoryRow.recordWhatTheStoreSays(db)
            // The index after the bulk insert: built once, not row by row in another order.
            try db.execute(sql: "CREATE INDEX order_history_order ON order_history(order_id, id)")
        }
        migrator.registerMigration("v9 customers and invoice search") { db in
            // Customers (`/api2/customers`), one per email address compared
            // caselessly, made from the orders; and what the listing's
            // `customer_email` and `billing_name` filters search: each
            // invoice's customer, and its billing name among the store's
            // distinct names as search keys (`SearchText`). A name search
            // scans the few distinct names for the query, then reads the
            // invoices of the names found by `invoices_billing_name`, which
            // holds every column a filter or sort needs (`grand_total` and
            // `face_factor` for the generated `grand_total_face`). Both ids
            // are set when an invoice is written (`InvoiceRow.willInsert`).
            try db.execute(
                sql: """
                    CREATE TABLE customers (
                        id INTEGER PRIMARY KEY,
                        email TEXT NOT NULL,
                        email_key TEXT NOT NULL UNIQUE,
                        firstname TEXT NOT NULL,
                        lastname TEXT NOT NULL,
                        created_at TEXT NOT NULL
                    );
                    CREATE TABLE billing_names (
                        id INTEGER PRIMARY KEY,
                        key TEXT NOT NULL UNIQUE
                    );
                    ALTER TABLE invoices ADD COLUMN customer_id INTEGER REFERENCES customers(id);
                    ALTER TABLE invoices ADD COLUMN billing_name_id INTEGER REFERENCES billing_names(id);
                    """)
            try CustomerBackfill.run(db)
            // Indexes and counts after the backfill: built once, not row by row.
            // Invoices per billing name and state, and per billing name, state
            // and created month, kept by triggers as `invoice_day_counts` is,
            // so that a name search's `total` reads counts, not invoices —
            // over a created range, all but the range's partial months.
            let monthCountsUp = """
                INSERT INTO billing_name_month_counts (name_id, state, month, n)
                VALUES (NEW.billing_name_id, NEW.state, substr(NEW.created_at, 1, 7), 1)
                ON CONFLICT (name_id, state, month) DO UPDATE SET n = n + 1;
                """
            let monthCountsDown = """
                UPDATE billing_name_month_counts SET n = n - 1
                WHERE name_id = OLD.billing_name_id AND state = OLD.state AND month = substr(OLD.created_at, 1, 7);
                """
            try db.execute(
                sql: """
                    CREATE INDEX customers_created ON customers(created_at);
                    CREATE INDEX invoices_customer ON invoices(customer_id, state, created_at);
                    CREATE INDEX invoices_billing_name
                        ON invoices(billing_name_id, state, created_at, updated_at, increment_id, grand_total, face_factor);
                    CREATE TABLE billing_name_counts (
                        name_id INTEGER NOT NULL, state INTEGER NOT NULL, n INTEGER NOT NULL,
                        PRIMARY KEY (name_id, state)
                    ) WITHOUT ROWID;
                    INSERT INTO billing_name_counts (name_id, state, n)
                        SELECT billing_name_id, state, COUNT(*) FROM invoices WHERE billing_name_id IS NOT NULL GROUP BY 1, 2;
                    CREATE TABLE billing_name_month_counts (
                        name_id INTEGER NOT NULL, state INTEGER NOT NULL, month TEXT NOT NULL, n INTEGER NOT NULL,
                        PRIMARY KEY (name_id, state, month)
                    ) WITHOUT ROWID;
                    INSERT INTO billing_name_month_counts (name_id, state, month, n)
                        SELECT billing_name_id, state, substr(created_at, 1, 7), COUNT(*) FROM invoices
                        WHERE billing_name_id IS NOT NULL GROUP BY 1, 2, 3;
                    CREATE TRIGGER billing_name_counts_insert AFTER INSERT ON invoices WHEN NEW.billing_name_id IS NOT NULL BEGIN
                        INSERT INTO billing_name_counts (name_id, state, n) VALUES (NEW.billing_name_id, NEW.state, 1)
                        ON CONFLICT (name_id, state) DO UPDATE SET n = n + 1;
                        \(monthCountsUp)
                    END;
                    CREATE TRIGGER billing_name_counts_delete AFTER DELETE ON invoices WHEN OLD.billing_name_id IS NOT NULL BEGIN
                        UPDATE billing_name_counts SET n = n - 1 WHERE name_id = OLD.billing_name_id AND state = OLD.state;
                        \(monthCountsDown)
                    END;
                    CREATE TRIGGER billing_name_counts_update_old AFTER UPDATE OF state, billing_name_id, created_at ON invoices
                    WHEN OLD.billing_name_id IS NOT NULL BEGIN
                        UPDATE billing_name_counts SET n = n - 1 WHERE name_id = OLD.billing_name_id AND state = OLD.state;
                        \(monthCountsDown)
                    END;
                    CREATE TRIGGER billing_name_counts_update_new AFTER UPDATE OF state, billing_name_id, created_at ON invoices
                    WHEN NEW.billing_name_id IS NOT NULL BEGIN
                        INSERT INTO billing_name_counts (name_id, state, n) VALUES (NEW.billing_name_id, NEW.state, 1)
                        ON CONFLICT (name_id, state) DO UPDATE SET n = n + 1;
                        \(monthCountsUp)
                    END;
                    """)
        }
        migrator.registerMigration("v10 credit memos", migrate: CreditMemoSchema.migrate)
        return migrator
    }
}
