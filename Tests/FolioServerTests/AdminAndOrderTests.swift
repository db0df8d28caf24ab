import Foundation
import GRDB
import Testing

@testable import FolioServer

/// `GET /api/admin/invoices/{id}` and `GET /api2/order`, over real HTTP.
@Suite struct AdminAndOrderTests {
    @Test func adminDetailCarriesEveryFieldOfTheSeedDocument() async throws {
        try await LiveServer.with { s in
            let reply = try await s.get("/api/admin/invoices/456")
            #expect(reply.status == 200)
            let inv = try reply.json
            let fields = [
                "id", "incrementId", "orderId", "orderIncrementId", "state", "emailSent", "totalQty",
                "orderCurrencyCode", "baseCurrencyCode", "channelCurrencyCode", "transactionId", "reminders",
                "nextReminderAt", "createdAt", "updatedAt", "orderStatus", "orderStatusLabel", "orderDate",
                "channelName", "customerName", "customerEmail", "billingAddress", "shippingAddress", "items",
            ]
            let totals = [
                "subTotal", "subTotalInclTax", "grandTotal", "taxAmount", "discountAmount", "shippingAmount",
                "shippingAmountInclTax", "shippingTaxAmount",
            ]
            let totalFields = totals.flatMap { t -> [String] in
                let up = t.prefix(1).uppercased() + t.dropFirst()
                return [t, "formatted" + up, "base" + up, "formattedBase" + up]
            }
            for field in fields + totalFields { #expect(inv[field] != nil, "missing \(field)") }
            #expect(inv["state"]?.string == "paid")
            #expect(inv["orderCurrencyCode"]?.string == "EUR")
            #expect(inv["baseCurrencyCode"]?.string == "USD")
            #expect(inv["formattedGrandTotal"]?.string?.hasPrefix("€") == true)
            #expect(inv["formattedBaseGrandTotal"]?.string?.hasPrefix("$") == true)
            #expect(inv["grandTotal"]?.numberText != nil, "admin money is a JSON number")

            // The admin detail and the /api2 lookup agree to the cent.
            let api2 = try #require(try await s.get("/api2/invoice?id=456").json["invoice"])
            #expect(inv["grandTotal"]?.decimal == api2["grand_total"]?.decimal)
            #expect(inv["baseGrandTotal"]?.decimal == api2["base_grand_total"]?.decimal)
            let sub = try #require(inv["subTotal"]?.decimal)
            let tax = try #require(inv["taxAmount"]?.decimal)
            let ship = try #require(inv["shippingAmount"]?.decimal)
            let disc = try #require(inv["discountAmount"]?.decimal)
            #expect(sub - disc + tax + ship == inv["grandTotal"]?.decimal)

            for key in ["billingAddress", "shippingAddress"] {
                let address = try #require(inv[key])
                for f in [
                    "id", "addressType", "firstName", "lastName", "companyName", "address", "city", "state",
                    "country", "postcode", "email", "phone",
                ] { #expect(address[f] != nil, "\(key).\(f)") }
            }
            #expect(inv["billingAddress"]?["addressType"]?.string == "order_billing")
            let item = try #require(inv["items"]?.array?.first)
            for f in [
                "id", "orderItemId", "sku", "name", "qty", "price", "formattedPrice", "basePrice", "basePriceInclTax",
                "total", "formattedTotal", "baseTotal", "baseTotalInclTax", "taxAmount", "formattedTaxAmount",
                "discountAmount", "formattedDiscountAmount", "productId", "productType", "baseImageUrl", "additional",
            ] {
                #expect(item[f] != nil, "item.\(f)")
            }
        }
    }

    @Test func adminUnknownOrMalformedIdIsNotFound() async throws {
        try await LiveServer.with { s in
            for id in ["999999", "abc", "45"] {
                let reply = try await s.get("/api/admin/invoices/\(id)")
                #expect(reply.status == 404, "\(id)")
                #expect(reply.error == "Invoice not found")
            }
        }
    }

    @Test func adminStatesCoverTheFamilyMapping() async throws {
        try await LiveServer.with(orders: 400) { s in
            var seen: Set<String> = []
            let rows = try #require(try await s.get("/api2/invoice?limit=200&state=1,3").json["invoices"]?.array)
            for row in rows.prefix(60) {
                let id = try #require(row["entity_id"]?.int)
                let admin = try await s.get("/api/admin/invoices/\(id)").json
                let state = try #require(admin["state"]?.string)
                seen.insert(state)
                switch row["state"]?.int {
                case 1: #expect(["pending", "pending_payment", "overdue"].contains(state))
                case 3: #expect(state == "canceled")
                default: Issue.record("unexpected state")
                }
                if state == "overdue" {
                    #expect(admin["reminders"]?.int ?? 0 > 0)
                    #expect(admin["nextReminderAt"]?.string != nil)
                }
            }
            #expect(seen.isSuperset(of: ["pending", "pending_payment", "overdue", "canceled"]), "\(seen)")
        }
    }

    @Test func orderLookupAndTheSeedFixture() async throws {
        try await LiveServer.with { s in
            let byId = try await s.get("/api2/order?id=123")
            let byIncrement = try await s.get("/api2/order?increment_id=100000123")
            #expect(byId.body == byIncrement.body)
            let order = try #require(try byId.json["order"])
            #expect(order["can_invoice"]?.bool == true)
            let items = try #require(order["items"]?.array)
            #expect(items.contains { $0["item_id"]?.int == 10 && ($0["qty_ordered"]?.int ?? 0) >= 3 })
            #expect(items.contains { $0["sku"]?.string == "PRODUCT-001" && ($0["qty_ordered"]?.int ?? 0) >= 3 })
            #expect(items.allSatisfy { $0["qty_invoiced"]?.int == 0 })
            for f in [
                "item_id", "sku", "name", "product_type", "is_qty_decimal", "qty_ordered", "qty_invoiced", "qty_canceled",
                "qty_refunded", "qty_to_invoice", "price", "base_price", "tax_amount", "discount_amount", "row_total",
            ] {
                #expect(items[0][f] != nil, "item.\(f)")
            }
            for path in ["/api2/order?id=999999", "/api2/order?increment_id=999999999"] {
                let missing = try await s.get(path)
                #expect(missing.status == 404)
                #expect(missing.error == "Order not found")
            }
            #expect(try await s.get("/api2/orders?id=123").status == 200)
        }
    }

    @Test func orderListFiltersSortAndPagination() async throws {
        try await LiveServer.with { s in
            let open = try await s.get("/api2/order?can_invoice=1&limit=200&include_pagination=1").json
            let rows = try #require(open["orders"]?.array)
            #expect(!rows.isEmpty && rows.allSatisfy { $0["can_invoice"]?.bool == true })
            let counted = try await s.server.database.read { db in try OrderRow.filter(Column("can_invoice") == true).fetchCount(db) }
            #expect(open["total"]?.int == counted)
            let statuses = try #require(try await s.get("/api2/order?status=pending,processing&limit=200").json["orders"]?.array)
            #expect(statuses.allSatisfy { ["pending", "processing"].contains($0["status"]?.string) })
            let withStatus = try await s.server.database.read { db in
                try OrderRow.filter(["pending", "processing"].contains(Column("status"))).fetchCount(db)
            }
            #expect(!statuses.isEmpty && statuses.count == min(withStatus, 200))
            let sorted = try #require(try await s.get("/api2/order?sort=grand_total&direction=asc&limit=100").json["orders"]?.array)
            let totals = sorted.compactMap { $0["grand_total"]?.decimal }
            #expect(totals == totals.sorted() && totals.count == sorted.count)
            #expect(try await s.get("/api2/order?sort=customer_name").status == 400)
            #expect(try await s.get("/api2/order?created_from=2026-1-1").status == 400)
            let ranged = try #require(
                try await s.get("/api2/order?created_from=2025-06-01&created_to=2025-06-30&limit=200").json["orders"]?.array)
            #expect(!ranged.isEmpty && ranged.allSatisfy { $0["created_at"]?.string?.hasPrefix("2025-06") == true })
        }
    }

    @Test func unknownRoutesAndMethodsAnswerInTheFamilyShape() async throws {
        try await LiveServer.with { s in
            let missing = try await s.get("/api2/nothing-here")
            #expect(missing.status == 404)
            #expect(missing.error == "Not found")
        }
    }
}
