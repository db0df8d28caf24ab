import FolioCore
import Foundation

/// Answers shaped as the reference server's (`folio serve --seed 50`), cut
/// to a row or two, with its names and a few harder ones, for the JSON
/// targets to mutate: most inputs are then answers a store could nearly
/// send, which reach the decoders' deep paths. (The server's whole answers
/// are in `Fuzz/corpus`.)
enum Seeds {
    static let invoiceRow: FuzzJSON = [
        "entity_id": 50, "increment_id": "100000050", "order_id": 50, "order_increment_id": "100000050", "state": 2,
        "grand_total": "1208.9900", "base_grand_total": "1208.9900", "subtotal": "1015.9600", "tax_amount": "193.0300",
        "shipping_amount": "0.0000", "discount_amount": "0.0000", "order_currency_code": "USD", "base_currency_code": "USD",
        "total_qty": .number("4"), "email_sent": 1, "billing_name": "Zoë Ångström-Ødegård", "customer_email": "zoe@example.test",
        "created_at": "2025-11-03 09:14:00", "updated_at": "2025-11-03 09:14:00",
    ]

    static let invoicePage: FuzzJSON = [
        "invoices": [
            invoiceRow,
            [
                "entity_id": 49, "increment_id": "100000049", "order_id": 49, "order_increment_id": "100000049", "state": 1,
                "grand_total": "25.8123", "base_grand_total": "3870.0000", "subtotal": "21.6900", "tax_amount": "4.1223",
                "shipping_amount": "0.0000", "discount_amount": "-2.5000", "order_currency_code": "EUR",
                "base_currency_code": "JPY", "total_qty": .number("1.5"), "email_sent": 0, "billing_name": "田中 太郎",
                "customer_email": "tanaka@example.test", "created_at": "2025-11-02 17:40:12", "updated_at": "2025-11-02 17:40:12",
            ],
        ],
        "page": 1, "limit": 20, "total": 57, "last_page": 3, "has_next": true,
    ]

    static let invoiceLookup: FuzzJSON = [
        "invoice": [
            "entity_id": 45, "increment_id": "100000045", "order_id": 44, "order_increment_id": "100000044", "state": 2,
            "grand_total": "118.0400", "base_grand_total": "118.0400", "subtotal": "99.1900", "tax_amount": "18.8500",
            "shipping_amount": "0.0000", "discount_amount": "0.0000", "order_currency_code": "KWD", "base_currency_code": "USD",
            "total_qty": .number("3"), "email_sent": 1, "billing_name": "Eve \u{1B}[2K", "customer_email": "eve@example.test",
            "created_at": "2025-10-30 12:00:00", "updated_at": "2025-10-30 12:05:00",
            "base_subtotal": "99.1900", "base_tax_amount": "18.8500", "base_shipping_amount": "0.0000",
            "base_discount_amount": "0.0000", "shipping_tax_amount": "0.0000", "base_shipping_tax_amount": "0.0000",
            "capture_mode": "offline", "transaction_id": nil,
            "items": [
                [
                    "entity_id": 101, "order_item_id": 201, "sku": "TEE-BLK-M", "name": "T-shirt, black", "qty": .number("2"),
                    "price": "19.9900", "base_price": "19.9900", "tax_amount": "7.6000", "discount_amount": "0.0000",
                    "row_total": "39.9800", "base_row_total": "39.9800",
                ],
                [
                    "entity_id": 102, "order_item_id": 202, "sku": "ROPE-1M", "name": "Rope (by the metre)", "qty": .number("1.25"),
                    "price": "47.3680", "base_price": "47.3680", "tax_amount": "11.2500", "discount_amount": "0.0000",
                    "row_total": "59.2100", "base_row_total": "59.2100",
                ],
            ],
            "comments": [
                [
                    "entity_id": 7, "comment": "[folio-op 7K3M-9QX2-H4TD-ZP1R] Invoiced via Folio", "is_customer_notified": 1,
                    "created_at": "2025-10-30 12:00:00",
                ]
            ],
        ]
    ]

    static let adminInvoice: FuzzJSON = [
        "id": 45, "incrementId": "100000045", "orderId": 44, "orderIncrementId": "100000044", "state": "paid",
        "emailSent": true, "totalQty": .number("3"), "orderCurrencyCode": "EUR", "baseCurrencyCode": "USD",
        "channelCurrencyCode": "EUR", "subTotal": .number("99.19"), "formattedSubTotal": "€99.19",
        "baseSubTotal": .number("107.12"), "formattedBaseSubTotal": "$107.12", "grandTotal": .number("118.04"),
        "formattedGrandTotal": "€118.04", "baseGrandTotal": .number("127.48"), "formattedBaseGrandTotal": "$127.48",
        "taxAmount": .number("18.85"), "baseTaxAmount": .number("20.36"), "discountAmount": .number("0"),
        "shippingAmount": .number("0.00"), "transactionId": nil, "reminders": 0, "nextReminderAt": nil,
        "createdAt": "2025-10-30 12:00:00", "updatedAt": "2025-10-30 12:05:00", "orderStatus": "processing",
        "orderStatusLabel": "Processing", "orderDate": "2025-10-29 08:00:00", "channelName": "Default",
        "customerName": "Ana Lúcia", "customerEmail": "ana@example.test",
        "billingAddress": [
            "id": 1, "addressType": "order_billing", "firstName": "Ana", "lastName": "Lúcia",
            "companyName": nil, "address": "Rua 1", "city": "Lisboa", "state": nil, "country": "PT",
            "postcode": "1000-001", "email": "ana@example.test", "phone": "+351 1",
        ],
        "shippingAddress": nil,
        "items": [
            [
                "id": 101, "orderItemId": 201, "sku": "TEE-BLK-M", "name": "T-shirt", "qty": .number("2"),
                "price": .number("19.99"), "formattedPrice": "€19.99", "basePrice": .number("21.59"),
                "total": .number("39.98"), "formattedTotal": "€39.98", "baseTotal": .number("43.18"),
                "taxAmount": .number("7.60"), "discountAmount": .number("0.00"), "productType": "configurable",
                "additional": ["attributes": [["label": "Size", "value": "M"], ["attribute_name": "Colour", "option_label": "Black"]]],
            ]
        ],
        "order": ["addresses": [["addressType": "order_shipping", "firstName": "Rui", "address": "Rua 2", "city": "Porto"]]],
        "comments": [["comment": "Paid by transfer", "created_at": "2025-10-30 12:05:00", "customerNotified": false]],
    ]

    static let orderDetail: FuzzJSON = [
        "entity_id": 44, "increment_id": "100000044", "status": "processing", "state": "processing",
        "created_at": "2025-10-29 08:00:00", "customer_name": "Ana Lúcia", "customer_email": "ana@example.test",
        "order_currency_code": "USD", "base_currency_code": "USD", "payment_method": "checkmo", "can_invoice": true,
        "grand_total": "118.0400", "base_grand_total": "118.0400", "subtotal": "99.1900", "tax_amount": "18.8500",
        "discount_amount": "0.0000", "shipping_amount": "0.0000",
        "items": [
            [
                "item_id": 201, "sku": "TEE-BLK-M", "name": "T-shirt", "product_type": "simple", "is_qty_decimal": false,
                "qty_ordered": .number("3"), "qty_invoiced": .number("0"), "qty_canceled": .number("0"), "qty_refunded": .number("0"),
                "qty_to_invoice": .number("3"), "price": "19.9900", "base_price": "19.9900", "tax_amount": "11.4000",
                "discount_amount": "0.0000", "row_total": "59.9700",
            ],
            [
                "item_id": 202, "sku": "ROPE-1M", "name": "Rope", "product_type": "simple", "is_qty_decimal": true,
                "qty_ordered": .number("2.5"), "qty_invoiced": .number("1.25"), "qty_canceled": .number("0"), "qty_refunded": .number("0"),
                "price": "47.3680", "row_total": "118.4200",
            ],
        ],
    ]

    static let orderLookup: FuzzJSON = ["order": orderDetail]

    static let orderPage: FuzzJSON = ["orders": [orderDetail], "page": 1, "limit": 20, "total": 1, "last_page": 1]

    /// The order the create target plans against: whole and fractional items left to invoice.
    static let plannedOrder: Order = try! JSONDecoder().decode(Order.self, from: Data(orderDetail.bytes))
}
