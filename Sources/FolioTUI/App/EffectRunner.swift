import FolioCore

/// Performs effects against the store, through FolioCore, each in its own
/// task; the answer comes back as an event.
public final class EffectRunner: Sendable {
    let client: APIClient
    let pages: InvoicePageCache

    public init(client: APIClient) {
        self.client = client
        pages = InvoicePageCache(client: client)
    }

    func perform(_ effect: Effect, post: @escaping @Sendable (Event) -> Void) {
        switch effect {
        case .loadPage(let request, let query, let fresh):
            Task { [pages] in
                do {
                    let page = try await pages.page(query, generation: request, fresh: fresh)
                    post(.pageLoaded(request: request, .success(page)))
                } catch let error as FolioError {
                    post(.pageLoaded(request: request, .failure(error)))
                } catch {
                    // Cancelled: a newer request replaced this one, and its answer will come.
                }
            }
        case .search(let request, let text):
            Task { [client] in
                do throws(FolioError) {
                    post(.searched(request: request, .success(try await EffectRunner.lookUp(text, client: client))))
                } catch {
                    post(.searched(request: request, .failure(error)))
                }
            }
        case .loadDetail(let request, let id):
            Task { [client] in
                do throws(FolioError) {
                    post(.detailLoaded(request: request, .success(try await client.invoice(id: id))))
                } catch {
                    post(.detailLoaded(request: request, .failure(error)))
                }
            }
        case .loadOrder(let request, let id):
            Task { [client] in
                do throws(FolioError) {
                    post(.orderLoaded(request: request, .success(try await client.order(id: id))))
                } catch {
                    post(.orderLoaded(request: request, .failure(error)))
                }
            }
        case .loadOrderForCreate(let request, let number):
            Task { [client] in
                do throws(FolioError) {
                    post(.createOrderLoaded(request: request, .success(try await client.order(number: number))))
                } catch {
                    post(.createOrderLoaded(request: request, .failure(error)))
                }
            }
        case .loadInvoiceableOrders(let request, let page):
            Task { [client] in
                do throws(FolioError) {
                    post(.invoiceableOrdersLoaded(request: request, .success(try await client.orders(page: page, limit: 20, invoiceable: true))))
                } catch {
                    post(.invoiceableOrdersLoaded(request: request, .failure(error)))
                }
            }
        case .createInvoice(let request, let plan):
            Task { [client] in
                do throws(FolioError) {
                    post(.invoiceCreated(request: request, .success(try await client.createInvoice(plan))))
                } catch {
                    post(.invoiceCreated(request: request, .failure(error)))
                }
            }
        case .sendEmail(let request, let invoiceId, let comment):
            Task { [client] in
                do throws(FolioError) {
                    let sent = try await client.resendEmail(invoiceId: invoiceId, comment: comment.isEmpty ? nil : comment)
                    post(.emailSent(request: request, .success(sent)))
                } catch {
                    post(.emailSent(request: request, .failure(error)))
                }
            }
        case .quit, .redraw, .copy:
            break
        }
    }

    /// An invoice number if one has it, else an order number if one has it.
    static func lookUp(_ number: String, client: APIClient) async throws(FolioError) -> SearchOutcome {
        var query = InvoiceQuery()
        query.invoiceIncrementIds = [number]
        query.limit = 1
        query.includePagination = false
        if try await client.invoices(query).items.contains(where: { $0.incrementId == number }) {
            return .invoice(number: number)
        }
        do {
            _ = try await client.order(number: number)
            return .order(number: number)
        } catch .notFound {
            return .nothing(number: number)
        }
    }
}
