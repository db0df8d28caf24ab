"""Schemathesis hooks for Folio's reference server.

JSON Schema cannot say everything the API's rules say. Each hook below drops
exactly one kind of failure that the contract (docs/openapi.json, the
contract's "400" rules) requires, and only when the case shows why; every
other failure of every check still fails the run.
"""

import atexit
import collections
import json
import sys
import unicodedata

import schemathesis

# How many failures each rule dropped, printed when the run ends, so that a
# rule that starts to hide more than it should is seen.
dropped = collections.Counter()


@atexit.register
def _report():
    if dropped:
        rules = ", ".join(f"{rule}: {count}" for rule, count in dropped.most_common())
        print(f"folio_hooks: refusals the contract demands, not counted as failures — {rules}", file=sys.stderr)


def _drop(rule):
    dropped[rule] += 1
    return False


_CREDIT_MEMO = ("/api2/creditmemo", "/api2/creditmemo/create")


def _error(response):
    try:
        body = json.loads(response.content)
    except (ValueError, TypeError):
        return None, None
    if not isinstance(body, dict):
        return None, None
    return body.get("error"), body.get("detail")


def _inverted_range(query):
    """created_from after created_to (a date-only end counts to its last second)."""
    start, end = (query or {}).get("created_from"), (query or {}).get("created_to")
    if not isinstance(start, str) or not isinstance(end, str):
        return False
    end_last = end if len(end) == 19 else end + " 23:59:59"
    start_first = start if len(start) == 19 else start + " 00:00:00"
    return start_first > end_last


# The parameters compared as search text on each path (Sources/FolioServer/Domain/SearchText.swift).
_SEARCHED = {
    "/api2/invoice": ("customer_email", "billing_name"),
    "/api2/invoices": ("customer_email", "billing_name"),
    "/api2/customers": ("email",),
}


def _folds_to_nothing(value):
    """Only white space, combining marks and format characters once decomposed and case-folded."""
    return all(ch.isspace() or unicodedata.category(ch) in ("Mn", "Me", "Cf")
               for ch in unicodedata.normalize("NFD", value.casefold()))


@schemathesis.hook
def filter_failure(context, failure, case, response):
    """Keep a failure unless it is one of the refusals the contract demands of valid-looking input."""
    error, detail = _error(response)
    path = case.operation.path
    # Online capture for a payment method that cannot capture online: the API's
    # documented `500 {"error": "Payment gateway error"}`, with nothing saved.
    if failure.code == "ST101":
        body = case.body if isinstance(case.body, dict) else {}
        if (path.endswith("/create") and response.status_code == 500 and error == "Payment gateway error"
                and body.get("capture") == "online"):
            return _drop("gateway refuses online capture")
        # The same for a credit memo refunded online (README: Credit memos).
        if (path in _CREDIT_MEMO and response.status_code == 500 and error == "Payment gateway error"
                and body.get("refund_type") == "online"):
            return _drop("gateway refuses online refund")
        return True
    if failure.code != "ST202":  # otherwise only "schema-valid request rejected" has exceptions
        return True
    # A range whose start is after its end: valid parts, refused together (contract: 400 Invalid date range).
    if response.status_code == 400 and error == "Invalid date range" and _inverted_range(case.query):
        return _drop("inverted date range")
    # The store's state decides: an order with nothing left to invoice, an item of another
    # order, more than is left. The schema cannot know the seeded store.
    if path.endswith("/create") and response.status_code == 400:
        if error == "Cannot create invoice":
            return _drop("nothing left to invoice")
        if error == "Invalid item" and detail and "is not an item of this order" in detail:
            return _drop("item of another order")
        if error == "Invalid item" and detail and "left to invoice" in detail:
            return _drop("more than is left")
    # A credit memo depends on what the seeded store invoiced and what was refunded since:
    # nothing left, an item not on the invoice, more than is left, a fractional quantity
    # of an item counted in units, more shipping or money than is left, a total below
    # zero, more decimals than the order's currency has (JPY none).
    if path in _CREDIT_MEMO and case.method.upper() == "POST" and response.status_code == 400:
        if error == "Cannot create credit memo":
            return _drop("nothing left to refund")
        if error == "Invalid item" and detail and any(
                text in detail for text in ("is not an item of", "left to refund", "must be a whole number", "is named twice")):
            return _drop("item not refundable")
        if error == "Invalid shipping amount" and detail and ("left to refund" in detail or " decimal" in detail):
            return _drop("more shipping than is left")
        if error == "Invalid adjustment" and detail and any(
                text in detail for text in ("left to refund", "never negative", " decimal", "grand total of 0")):
            return _drop("more money than is left")
    # A credit memo is looked up by id or by number, not both: query parameters cannot say "one of".
    if (path == "/api2/creditmemo" and case.method.upper() == "GET" and response.status_code == 400
            and error in ("id or increment_id is required", "Use either id or increment_id")):
        named = [name for name in ("id", "increment_id") if name in (case.query or {})]
        if len(named) != 1:
            return _drop("credit memo by id or number")
    # The same Idempotency-Key sent again with another body: 422 is the documented answer.
    if response.status_code == 422 and error == "Idempotency key reused with a different request":
        return _drop("idempotency key reused")
    # An order's history names exactly one order: query parameters cannot say "one of".
    if path == "/api2/history" and case.method.upper() == "GET" and response.status_code == 400:
        named = [name for name in ("order_id", "order_increment_id", "increment_id") if name in (case.query or {})]
        if len(named) != 1 and error in ("order_id or order_increment_id is required",
                                         "Use only one of order_id, order_increment_id or increment_id"):
            return _drop("history names one order")
    # A history comment with nothing to read is no comment (contract: comment is required):
    # only whitespace, line breaks, control or format (zero-width) characters.
    if path == "/api2/history" and case.method.upper() == "POST" and response.status_code == 400:
        body = case.body if isinstance(case.body, dict) else {}
        comment = body.get("comment")
        if error == "comment is required" and isinstance(comment, str) and all(
                ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp") for ch in comment):
            return _drop("blank history comment")
    # A customer filter or address with nothing to search for once folded — empty, white
    # space, combining marks, format characters — is refused (README: the customer filters);
    # the schema cannot say "one letter at least" in every script.
    if response.status_code == 400 and detail == "empty: nothing to search for":
        name = (error or "").removeprefix("Invalid parameter: ")
        value = (case.query or {}).get(name)
        if name in _SEARCHED.get(path, ()) and isinstance(value, str) and _folds_to_nothing(value):
            return _drop("nothing to search for")
    # A customer is looked up by id or by email, not both: query parameters cannot say "one of".
    if (path == "/api2/customers" and response.status_code == 400 and error == "Use either id or email"
            and {"id", "email"} <= set(case.query or {})):
        return _drop("customer by id or email")
    # A NUL in a text parameter: SQLite would cut the string at it (README: Text that
    # SQLite would cut), so it is refused by name; the schema's strings cannot exclude it.
    if (response.status_code == 400 and detail == "the control character NUL is not allowed"
            and (error or "").startswith("Invalid parameter: ")):
        name = error.removeprefix("Invalid parameter: ")
        body = case.body if isinstance(case.body, dict) else {}
        values = [(case.query or {}).get(name), body.get(name)]
        if any("\x00" in str(v) for v in values if v is not None):
            return _drop("NUL in a text parameter")
    # An unknown refresh token or client: RFC 6749 answers 400 invalid_grant.
    if path == "/api2/oauth/token" and response.status_code == 400 and error == "invalid_grant":
        return _drop("unknown refresh token")
    return True
