import GRDB

/// Migration v9 on a store that already has orders and invoices: its
/// customers, and each invoice's customer and billing name, exactly as a
/// store seeded with them has (customers in the order their first order was
/// written, as `CustomerRow.record` would have made them one by one).
enum CustomerBackfill {
    static func run(_ db: Database) throws {
        struct Customer {
            let id: Int64
            var email: String
            var name: String
            var createdAt: String
        }
        var customers: [String: Customer] = [:]
        var keys: [String] = []
        func record(email: String, name: String, at time: String, onlyIfNew: Bool) -> Int64 {
            let key = SearchText.emailKey(email)
            if var known = customers[key] {
                if !onlyIfNew, time < known.createdAt {
                    (known.email, known.name, known.createdAt) = (email, name, time)
                    customers[key] = known
                }
                return known.id
            }
            customers[key] = Customer(id: Int64(keys.count + 1), email: email, name: name, createdAt: time)
            keys.append(key)
            return Int64(keys.count)
        }
        let orders = try Row.fetchCursor(db, sql: "SELECT customer_email, customer_name, created_at FROM orders ORDER BY entity_id")
        while let order = try orders.next() {
            _ = record(email: order[0], name: order[1], at: order[2], onlyIfNew: false)
        }

        // Each invoice's customer and billing name (names keyed in the order first seen).
        var nameIds: [String: Int64] = [:]
        var nameKeys: [String] = []
        var byRawName: [String: Int64] = [:]
        var assignments: [(invoice: Int64, customer: Int64, name: Int64)] = []
        let invoices = try Row.fetchCursor(
            db, sql: "SELECT entity_id, customer_email, billing_name, created_at FROM invoices ORDER BY entity_id")
        while let invoice = try invoices.next() {
            let billingName: String = invoice[2]
            let customer = record(email: invoice[1], name: billingName, at: invoice[3], onlyIfNew: true)
            let name: Int64
            if let known = byRawName[billingName] {
                name = known
            } else {
                let key = SearchText.nameKey(billingName)
                if let known = nameIds[key] {
                    name = known
                } else {
                    nameKeys.append(key)
                    name = Int64(nameKeys.count)
                    nameIds[key] = name
                }
                byRawName[billingName] = name
            }
            assignments.append((invoice[0], customer, name))
        }

        let insertCustomer = try db.makeStatement(
            sql: "INSERT INTO customers (id, email, email_key, firstname, lastname, created_at) VALUES (?, ?, ?, ?, ?, ?)")
        for key in keys {
            let customer = customers[key]!
            let (first, last) = CustomerRow.split(customer.name)
            try insertCustomer.execute(arguments: [customer.id, customer.email, key, first, last, customer.createdAt])
        }
        let insertName = try db.makeStatement(sql: "INSERT INTO billing_names (id, key) VALUES (?, ?)")
        for (index, key) in nameKeys.enumerated() { try insertName.execute(arguments: [Int64(index + 1), key]) }
        let update = try db.makeStatement(sql: "UPDATE invoices SET customer_id = ?, billing_name_id = ? WHERE entity_id = ?")
        for assignment in assignments {
            try update.execute(arguments: [assignment.customer, assignment.name, assignment.invoice])
        }
    }
}
