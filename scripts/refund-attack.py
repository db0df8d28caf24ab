#!/usr/bin/env python3
"""Refunds under attack: concurrent credit memos, repeated Idempotency-Keys and
kill -9 against `folio serve`, then every refund invariant read from the
server's own SQLite database.

    python3 scripts/refund-attack.py [--requests N] [--concurrency C] [--kills K]
                                     [--binary PATH] [--seed S] [--keep]
    # defaults: 15000 requests, 20 at a time, 8 kills, .build/debug/folio, seed 7
    # (70-80 s on 2 cores); the CI size, about 2 s:
    python3 scripts/refund-attack.py --requests 150 --concurrency 20 --kills 1

It builds nothing: it copies the binary to a temporary directory first (a
rebuild cannot swap it mid-run), starts `folio serve` there on a fresh database
(orders seeded with `--seed-random S`, a fixed token), and waits for it with a
deadline. Then it fires N credit memo POSTs, C at a time, at three orders at a
time (their invoices and the orders themselves as sources), so that they
contend: whole and fractional quantities (fractions on items sold by the
metre, a few on unit items, which must be refused), SKUs, shipping, positive
adjustments, fees, full refunds, online refunds of invoices captured online,
emails; some with an Idempotency-Key, some of those sent two or three times at
once with the same body (re-serialised, on either path) and one with another
body under the same key, some sent again 30-120 requests later. Each request's
comment is its tag, which finds its memo in the store. The plan is fixed by S;
which request wins a race is not.

K times during the stream it holds new requests back, kill -9s the server
with requests in flight, restarts it on the same database and port, sends
again every keyed request whose answer the kill lost (same key, same body),
and checks the database while nothing else runs. After the stream it stops
the server (SIGTERM) and checks the database once more, with Python's
sqlite3: integrity, foreign keys, refunded <= invoiced per line and in money
(both currencies), every tally equal to the sum of what it tallies (memo
lines, memos, invoice lines, invoices), the memo formula, unique numbers, no
half-written memo, one email per emailed memo, at most one memo per request,
each tally the cumulative prorate of what was invoiced (computed here, apart
from the server's code), the key table against the memos, and the answers the
client got against the store (a 201 whose memo is missing, a refusal that was
written anyway, two different answers to one key, a memo that does not book
what its request asked).

Prints the figures as Markdown tables (the ones RELIABILITY.md records) and
exits 1 if any invariant is violated, if the server answered a 5xx or dropped
a connection other than during a kill, or did not come back; 2 on a usage or
start-up error. The work directory (database, server logs, answers.jsonl: every
request and its answer) is kept when the run fails, or with --keep, and its
path printed. Python 3 standard library only.
"""
import argparse
import concurrent.futures
import decimal
import http.client
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOKEN = "refund-attack-token"
WINDOW = 45  # requests aimed at the same three orders
ORDERS_PER_WINDOW = 3
START_DEADLINE = 120.0  # seconds for the server to say "listening on"
REQUEST_TIMEOUT = 60.0
MINOR_DIGITS = {"JPY": 0, "KRW": 0}  # the seeded currencies: USD, EUR, GBP (2), JPY (0)


# ---------------------------------------------------------------- the server


class Server:
    """`folio serve` on one database; restartable on the same port."""

    def __init__(self, binary, workdir, db, seed_orders, seed_random):
        self.binary, self.workdir, self.db = binary, workdir, db
        self.seed_orders, self.seed_random = seed_orders, seed_random
        self.proc = None
        self.port = 0
        self.url = None
        self.incarnation = 0

    def start(self):
        self.incarnation += 1
        out = os.path.join(self.workdir, "serve-%d.out" % self.incarnation)
        err = os.path.join(self.workdir, "serve-%d.err" % self.incarnation)
        args = [self.binary, "serve", "--host", "127.0.0.1", "--port", str(self.port), "--db", self.db,
                "--log-level", "error"]
        if self.incarnation == 1:
            args += ["--seed", str(self.seed_orders), "--seed-random", str(self.seed_random)]
        env = dict(os.environ, FOLIO_SERVE_TOKENS=TOKEN)
        with open(out, "wb") as o, open(err, "wb") as e:
            self.proc = subprocess.Popen(args, stdout=o, stderr=e, stdin=subprocess.DEVNULL, env=env)
        deadline = time.monotonic() + START_DEADLINE
        while True:
            with open(out, "rb") as f:
                text = f.read().decode("utf-8", "replace")
            for line in text.splitlines():
                if line.startswith("listening on "):
                    self.url = line[len("listening on "):].strip()
                    self.port = int(self.url.rsplit(":", 1)[1])
                    return time.monotonic() - (deadline - START_DEADLINE)
            if self.proc.poll() is not None or time.monotonic() > deadline:
                if self.proc.poll() is None:
                    self.proc.kill()
                    self.proc.wait()
                with open(err, "rb") as f:
                    tail = f.read()[-2000:].decode("utf-8", "replace")
                raise RuntimeError("folio serve (start %d) did not come up: exit %s\n%s"
                                   % (self.incarnation, self.proc.returncode, tail))
            time.sleep(0.02)

    def kill9(self):
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        """SIGTERM, as an operator stops it; its exit status."""
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return "timeout"

    def logged_errors(self):
        n = 0
        for i in range(1, self.incarnation + 1):
            path = os.path.join(self.workdir, "serve-%d.err" % i)
            if os.path.exists(path):
                with open(path, "rb") as f:
                    n += sum(1 for line in f if b" error " in line or b" critical " in line)
        return n


# ------------------------------------------------------------------ the plan


def catalog(db_path):
    """The seeded orders that have an invoice to refund, with their lines."""
    db = sqlite3.connect(db_path)
    try:
        orders = {}
        for oid, inc, cur, method in db.execute(
                "select entity_id, increment_id, order_currency_code, payment_method from orders order by entity_id"):
            orders[oid] = {"id": oid, "inc": inc, "currency": cur, "method": method, "invoices": []}
        for iid, inc, oid, ship, capture, txn in db.execute(
                "select entity_id, increment_id, order_id, shipping_amount, capture_mode, transaction_id "
                "from invoices where state != 3 order by entity_id"):
            lines = [{"item": item, "sku": sku, "qty": qty, "decimal": bool(dec)}
                     for item, sku, qty, dec in db.execute(
                         "select ii.order_item_id, ii.sku, ii.qty, oi.is_qty_decimal from invoice_items ii "
                         "join order_items oi on oi.item_id = ii.order_item_id where ii.invoice_id = ? "
                         "order by ii.entity_id", (iid,))]
            orders[oid]["invoices"].append({
                "id": iid, "inc": inc, "shipping": ship, "lines": lines,
                "online": capture == "online" and txn is not None and orders[oid]["method"] == "card"})
    finally:
        db.close()
    eligible = [o for o in orders.values() if o["invoices"] and any(i["lines"] for i in o["invoices"])]
    for o in eligible:
        o["online"] = all(i["online"] for i in o["invoices"])
    return eligible


def money(minor, digits, rnd):
    """An amount in the order's currency: a decimal string, sometimes a JSON number."""
    if digits == 0:
        return minor if rnd.random() < 0.4 else str(minor)
    text = "%d.%0*d" % (minor // 10 ** digits, digits, minor % 10 ** digits)
    return float(text) if rnd.random() < 0.3 else text


def quantity(line, rnd):
    if line["decimal"]:
        return rnd.choice(["0.25", 0.5, "0.1", "1.2500", "0.0001", 0.75, "1"])
    if rnd.random() < 0.03:
        return "0.5"  # a fraction of a unit item: refused
    return rnd.choice([1, 1, 1, "1", "1.0000", 2])


def body_for(order, rnd, tag):
    digits = MINOR_DIGITS.get(order["currency"], 2)
    invoice = None
    if rnd.random() < 0.6:
        invoice = rnd.choice(order["invoices"])
        body = rnd.choice([{"invoice_id": invoice["id"]}, {"invoice_increment_id": invoice["inc"]}])
        lines = invoice["lines"]
        shipping = invoice["shipping"]
        online = invoice["online"]
    else:
        body = rnd.choice([{"order_id": order["id"]}, {"order_increment_id": order["inc"]}])
        lines = [line for i in order["invoices"] for line in i["lines"]]
        shipping = sum(i["shipping"] for i in order["invoices"])
        online = order["online"]
    kind = rnd.random()
    if kind < 0.04:
        pass  # items omitted: everything left, shipping included
    elif kind < 0.26:
        body["items"] = []
        body["adjustment_positive"] = money(rnd.randint(1, 300), digits, rnd)
    elif kind < 0.36 and shipping > 0:
        body["items"] = []
        body["shipping_amount"] = money(rnd.randint(1, max(1, shipping // 2)), digits, rnd)
    else:
        items, seen = [], set()
        for line in rnd.sample(lines, min(len(lines), rnd.choice([1, 1, 2]))):
            if line["item"] in seen:
                continue
            seen.add(line["item"])
            named = {"sku": line["sku"]} if rnd.random() < 0.1 else {"order_item_id": line["item"]}
            items.append(dict(named, qty=quantity(line, rnd)))
        body["items"] = items
        if shipping > 0 and rnd.random() < 0.2:
            body["shipping_amount"] = money(rnd.randint(1, shipping), digits, rnd)
        if rnd.random() < 0.12:
            body["adjustment_negative"] = money(rnd.randint(1, 150), digits, rnd)
    if "adjustment_positive" not in body and rnd.random() < 0.15:
        body["adjustment_positive"] = money(rnd.randint(1, 200), digits, rnd)
    if online and rnd.random() < 0.3:
        body["refund_type"] = "online"
    elif rnd.random() < 0.1:
        body["refund_type"] = "offline"
    if rnd.random() < 0.2:
        body["send_email"] = True
    body["comment"] = tag  # the request's tag: finds its memo in the store
    return body, digits


def other_body(body, rnd, digits):
    """The same request with one figure changed (the same key must not take it)."""
    changed = json.loads(json.dumps(body))
    if changed.get("items"):
        q = changed["items"][0]["qty"]
        changed["items"][0]["qty"] = 2 if q != 2 else 1
    else:
        changed["adjustment_positive"] = money(rnd.randint(301, 400), digits, rnd)
    return changed


def serialise(body, rnd):
    """JSON as different clients write it: compact, spaced, keys reordered."""
    style = rnd.random()
    if style < 0.5:
        return json.dumps(body, separators=(",", ":")).encode()
    if style < 0.8:
        return json.dumps(body, sort_keys=True, indent=1).encode()
    items = list(body.items())
    rnd.shuffle(items)
    return json.dumps(dict(items)).encode()


def plan(orders, n, seed):
    """N sends, in the order they are fired. A send: tag, key, body, bytes, path, role, group.

    Roles: `plain` (no key), `keyed`, `race` (2–3 sends of one body under one
    key at once, now and then with a send of another body among them), and
    `late` (a keyed request sent again 30–120 sends later: its answer is kept).
    """
    rnd = random.Random(seed)
    pool = orders[:]
    rnd.shuffle(pool)
    sends, task, later = [], 0, []
    while len(sends) < n:
        due = [x for x in later if x[0] <= len(sends)]
        if due:
            later = [x for x in later if x[0] > len(sends)]
            sends.extend(s for _, s in due[: n - len(sends)])
            continue
        window = len(sends) // WINDOW
        start = (window * ORDERS_PER_WINDOW) % len(pool)
        targets = [pool[(start + i) % len(pool)] for i in range(ORDERS_PER_WINDOW)]
        order = rnd.choice(targets)
        tag = "ra-%d-%05d" % (seed, task)
        body, digits = body_for(order, rnd, tag)

        def send(b, key, role, group=None):
            path = "/api2/creditmemo/create" if rnd.random() < 0.1 else "/api2/creditmemo"
            return {"tag": tag, "key": key, "body": b, "bytes": serialise(b, rnd), "path": path,
                    "role": role, "group": group, "same": b is body}

        mode = rnd.random()
        if mode < 0.45:
            group = [send(body, None, "plain")]
        elif mode < 0.80:
            group = [send(body, tag, "keyed")]
            if rnd.random() < 0.2:
                later.append((len(sends) + rnd.randint(30, 120), send(body, tag, "late")))
        else:
            gid = object()
            group = [send(body, tag, "race", gid) for _ in range(rnd.choice([2, 2, 3]))]
            if mode >= 0.92:
                group.insert(rnd.randrange(len(group) + 1), send(other_body(body, rnd, digits), tag, "race", gid))
        sends.extend(group[: n - len(sends)])
        task += 1
    # The members of a race wait for each other (briefly) so that they race.
    groups = {}
    for s in sends:
        if s["group"] is not None:
            groups.setdefault(id(s["group"]), []).append(s)
    for members in groups.values():
        barrier = threading.Barrier(len(members)) if len(members) > 1 else None
        for s in members:
            s["barrier"] = barrier
    return sends


# ---------------------------------------------------------------- the client

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through a proxy


def post(url, send):
    headers = {"Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"}
    if send["key"] is not None:
        headers["Idempotency-Key"] = send["key"]
    request = urllib.request.Request(url + send["path"], data=send["bytes"], headers=headers, method="POST")
    try:
        with OPENER.open(request, timeout=REQUEST_TIMEOUT) as r:
            return r.status, r.headers.get("Idempotent-Replayed") == "true", r.read(), None
    except urllib.error.HTTPError as e:
        try:
            data = e.read()
        except (OSError, http.client.HTTPException) as broken:
            return None, False, b"", "answer cut: %r" % broken
        return e.code, e.headers.get("Idempotent-Replayed") == "true", data, None
    except (urllib.error.URLError, OSError, http.client.HTTPException, socket.timeout) as e:
        return None, False, b"", repr(e)


def memo_id(answer_body):
    try:
        return int(json.loads(answer_body)["creditmemo"]["entity_id"])
    except (ValueError, KeyError, TypeError):
        return None


# ------------------------------------------------------------ the invariants

# Each query returns the rows that break the invariant; a check's figure is their count.
CHECKS = [
    ("integrity_check", "select * from pragma_integrity_check where integrity_check != 'ok'"),
    ("foreign_key_check", "select * from pragma_foreign_key_check"),
    ("line: refunded > invoiced (qty, both currencies)", """
        select entity_id from invoice_items where qty_refunded < 0 or qty_refunded > qty
           or row_refunded < 0 or row_refunded > row_total or base_row_refunded < 0 or base_row_refunded > base_row_total
           or tax_refunded < 0 or tax_refunded > tax_amount or base_tax_refunded < 0 or base_tax_refunded > base_tax_amount
           or discount_refunded < 0 or discount_refunded > discount_amount
           or base_discount_refunded < 0 or base_discount_refunded > base_discount_amount
        union all
        select item_id from order_items where qty_refunded < 0 or qty_refunded > qty_invoiced"""),
    ("invoice: refunded > invoiced (money, both currencies)", """
        select ir.invoice_id from invoice_refunds ir join invoices i on i.entity_id = ir.invoice_id
         where ir.total_refunded < 0 or ir.total_refunded > i.grand_total
            or ir.base_total_refunded < 0 or ir.base_total_refunded > i.base_grand_total
            or ir.shipping_refunded < 0 or ir.shipping_refunded > i.shipping_amount
            or ir.base_shipping_refunded < 0 or ir.base_shipping_refunded > i.base_shipping_amount
            or ir.shipping_tax_refunded < 0 or ir.shipping_tax_refunded > i.shipping_tax_amount
            or ir.base_shipping_tax_refunded < 0 or ir.base_shipping_tax_refunded > i.base_shipping_tax_amount
            or (i.state = 3 and (ir.total_refunded != 0 or ir.shipping_refunded != 0))"""),
    ("order: refunded > invoiced (money, both currencies)", """
        select r.order_id from order_refunds r
          left join (select order_id, sum(grand_total) g, sum(base_grand_total) bg from invoices
                      where state != 3 group by order_id) i on i.order_id = r.order_id
         where r.total_refunded > coalesce(i.g, 0) or r.base_total_refunded > coalesce(i.bg, 0)"""),
    ("invoice line tallies = sum of memo lines", """
        select ii.entity_id from invoice_items ii left join (
            select invoice_item_id, sum(qty) q, sum(row_total) r, sum(base_row_total) br, sum(tax_amount) t,
                   sum(base_tax_amount) bt, sum(discount_amount) d, sum(base_discount_amount) bd
              from creditmemo_items group by invoice_item_id) s on s.invoice_item_id = ii.entity_id
         where ii.qty_refunded != coalesce(s.q, 0) or ii.row_refunded != coalesce(s.r, 0)
            or ii.base_row_refunded != coalesce(s.br, 0) or ii.tax_refunded != coalesce(s.t, 0)
            or ii.base_tax_refunded != coalesce(s.bt, 0) or ii.discount_refunded != coalesce(s.d, 0)
            or ii.base_discount_refunded != coalesce(s.bd, 0)"""),
    ("order item tallies = sum of invoice lines", """
        select oi.item_id from order_items oi left join (
            select order_item_id, sum(qty_refunded) q, sum(row_refunded) r, sum(base_row_refunded) br,
                   sum(tax_refunded) t, sum(base_tax_refunded) bt, sum(discount_refunded) d,
                   sum(base_discount_refunded) bd
              from invoice_items group by order_item_id) x on x.order_item_id = oi.item_id
         where oi.qty_refunded != coalesce(x.q, 0) or oi.row_refunded != coalesce(x.r, 0)
            or oi.base_row_refunded != coalesce(x.br, 0) or oi.tax_refunded != coalesce(x.t, 0)
            or oi.base_tax_refunded != coalesce(x.bt, 0) or oi.discount_refunded != coalesce(x.d, 0)
            or oi.base_discount_refunded != coalesce(x.bd, 0)"""),
    ("memo totals = sum of its lines", """
        select m.entity_id from creditmemos m left join (
            select creditmemo_id, sum(row_total) r, sum(base_row_total) br, sum(tax_amount) t,
                   sum(base_tax_amount) bt, sum(discount_amount) d, sum(base_discount_amount) bd, sum(qty) q
              from creditmemo_items group by creditmemo_id) s on s.creditmemo_id = m.entity_id
         where m.subtotal != coalesce(s.r, 0) or m.base_subtotal != coalesce(s.br, 0)
            or m.tax_amount != coalesce(s.t, 0) + m.shipping_tax_amount
            or m.base_tax_amount != coalesce(s.bt, 0) + m.base_shipping_tax_amount
            or m.discount_amount != coalesce(s.d, 0) or m.base_discount_amount != coalesce(s.bd, 0)
            or m.total_qty != coalesce(s.q, 0)"""),
    ("memo formula (both currencies), never negative", """
        select entity_id from creditmemos
         where grand_total != subtotal - discount_amount + tax_amount + shipping_amount
                              + adjustment_positive - adjustment_negative
            or base_grand_total != base_subtotal - base_discount_amount + base_tax_amount + base_shipping_amount
                                   + base_adjustment_positive - base_adjustment_negative
            or grand_total < 0 or base_grand_total < 0 or shipping_amount < 0
            or adjustment_positive < 0 or adjustment_negative < 0"""),
    ("order tallies = sum of its memos (16 figures)", """
        select o.entity_id from orders o
          left join order_refunds r on r.order_id = o.entity_id
          left join (select order_id, sum(grand_total) g, sum(base_grand_total) bg, sum(subtotal) s,
                            sum(base_subtotal) bs, sum(tax_amount) t, sum(base_tax_amount) bt,
                            sum(discount_amount) d, sum(base_discount_amount) bd, sum(shipping_amount) sh,
                            sum(base_shipping_amount) bsh, sum(shipping_tax_amount) st,
                            sum(base_shipping_tax_amount) bst, sum(adjustment_positive) ap,
                            sum(base_adjustment_positive) bap, sum(adjustment_negative) an,
                            sum(base_adjustment_negative) ban
                       from creditmemos group by order_id) m on m.order_id = o.entity_id
         where coalesce(r.total_refunded, 0) != coalesce(m.g, 0) or coalesce(r.base_total_refunded, 0) != coalesce(m.bg, 0)
            or coalesce(r.subtotal_refunded, 0) != coalesce(m.s, 0) or coalesce(r.base_subtotal_refunded, 0) != coalesce(m.bs, 0)
            or coalesce(r.tax_refunded, 0) != coalesce(m.t, 0) or coalesce(r.base_tax_refunded, 0) != coalesce(m.bt, 0)
            or coalesce(r.discount_refunded, 0) != coalesce(m.d, 0) or coalesce(r.base_discount_refunded, 0) != coalesce(m.bd, 0)
            or coalesce(r.shipping_refunded, 0) != coalesce(m.sh, 0) or coalesce(r.base_shipping_refunded, 0) != coalesce(m.bsh, 0)
            or coalesce(r.shipping_tax_refunded, 0) != coalesce(m.st, 0)
            or coalesce(r.base_shipping_tax_refunded, 0) != coalesce(m.bst, 0)
            or coalesce(r.adjustment_positive, 0) != coalesce(m.ap, 0)
            or coalesce(r.base_adjustment_positive, 0) != coalesce(m.bap, 0)
            or coalesce(r.adjustment_negative, 0) != coalesce(m.an, 0)
            or coalesce(r.base_adjustment_negative, 0) != coalesce(m.ban, 0)"""),
    ("order tallies = sum of its invoice tallies", """
        select r.order_id from order_refunds r left join (
            select i.order_id, sum(x.total_refunded) t, sum(x.base_total_refunded) bt, sum(x.shipping_refunded) s,
                   sum(x.base_shipping_refunded) bs, sum(x.shipping_tax_refunded) st,
                   sum(x.base_shipping_tax_refunded) bst
              from invoice_refunds x join invoices i on i.entity_id = x.invoice_id group by i.order_id
          ) x on x.order_id = r.order_id
         where r.total_refunded != coalesce(x.t, 0) or r.base_total_refunded != coalesce(x.bt, 0)
            or r.shipping_refunded != coalesce(x.s, 0) or r.base_shipping_refunded != coalesce(x.bs, 0)
            or r.shipping_tax_refunded != coalesce(x.st, 0) or r.base_shipping_tax_refunded != coalesce(x.bst, 0)"""),
    ("invoice tallies = sum of its memos (orders refunded by invoice only)", """
        select i.entity_id from invoices i
          left join invoice_refunds x on x.invoice_id = i.entity_id
          left join (select invoice_id, sum(grand_total) g, sum(base_grand_total) bg, sum(shipping_amount) s,
                            sum(base_shipping_amount) bs, sum(shipping_tax_amount) st, sum(base_shipping_tax_amount) bst
                       from creditmemos group by invoice_id) m on m.invoice_id = i.entity_id
         where not exists (select 1 from creditmemos o where o.order_id = i.order_id and o.source = 'order')
           and (coalesce(x.total_refunded, 0) != coalesce(m.g, 0) or coalesce(x.base_total_refunded, 0) != coalesce(m.bg, 0)
             or coalesce(x.shipping_refunded, 0) != coalesce(m.s, 0)
             or coalesce(x.base_shipping_refunded, 0) != coalesce(m.bs, 0)
             or coalesce(x.shipping_tax_refunded, 0) != coalesce(m.st, 0)
             or coalesce(x.base_shipping_tax_refunded, 0) != coalesce(m.bst, 0))"""),
    ("memo lines belong to the memo's order and invoice", """
        select c.entity_id from creditmemo_items c
          join creditmemos m on m.entity_id = c.creditmemo_id
          left join invoice_items ii on ii.entity_id = c.invoice_item_id
          left join invoices i on i.entity_id = c.invoice_id
         where ii.entity_id is null or ii.invoice_id != c.invoice_id or ii.order_item_id != c.order_item_id
            or i.order_id != m.order_id or i.state = 3 or c.qty <= 0
            or (m.source = 'invoice' and c.invoice_id != m.invoice_id)"""),
    ("unique memo numbers, counter ahead of them", """
        select increment_id from creditmemos group by increment_id having count(*) > 1
        union all
        select 'counter' from creditmemo_numbers n
         where n.last_issued < (select coalesce(max(cast(increment_id as integer)), 0) from creditmemos)"""),
    ("half-written memo (no line/shipping/credit, orphan line, history, comment)", """
        select m.entity_id from creditmemos m
         where not exists (select 1 from creditmemo_items c where c.creditmemo_id = m.entity_id)
           and m.shipping_amount = 0 and m.adjustment_positive = 0
        union all
        select c.entity_id from creditmemo_items c
         where not exists (select 1 from creditmemos m where m.entity_id = c.creditmemo_id)
        union all
        select m.entity_id from creditmemos m
         where (select count(*) from order_history h where h.order_id = m.order_id and h.source = 'creditmemo'
                   and h.comment like 'Credit memo ' || m.increment_id || ' for %') != 1
            or (select count(*) from creditmemo_comments k where k.creditmemo_id = m.entity_id) != 1
        union all
        select 'history' where (select count(*) from order_history where source = 'creditmemo')
                            != (select count(*) from creditmemos)"""),
    ("email: sent twice, or flag without outbox row", """
        select m.entity_id from creditmemos m
         where (select count(*) from outbox o where o.creditmemo_id = m.entity_id) != (m.email_sent != 0)
        union all
        select o.id from outbox o where o.creditmemo_id is not null
           and not exists (select 1 from creditmemos m where m.entity_id = o.creditmemo_id)"""),
    ("more than one memo for one request", """
        select k.comment from creditmemo_comments k group by k.comment having count(*) > 1"""),
]


def prorate(amount, numerator, denominator):
    """amount × numerator ÷ denominator, rounded half away from zero, exactly (README: the arithmetic)."""
    q, r = divmod(abs(amount * numerator), denominator)
    if 2 * r >= denominator:
        q += 1
    return q if amount * numerator >= 0 else -q


def arithmetic_checks(db):
    """Written apart from the server's code: each tally is the cumulative share of what was invoiced."""
    lines = 0
    for row in db.execute(
            "select qty, qty_refunded, row_total, row_refunded, base_row_total, base_row_refunded, tax_amount, "
            "tax_refunded, base_tax_amount, base_tax_refunded, discount_amount, discount_refunded, "
            "base_discount_amount, base_discount_refunded from invoice_items where qty_refunded > 0 or row_refunded "
            "!= 0 or tax_refunded != 0 or discount_refunded != 0"):
        qty, refunded = row[0], row[1]
        pairs = zip(row[2::2], row[3::2])
        lines += any(prorate(invoiced, refunded, qty) != tally for invoiced, tally in pairs)
    shipping = 0
    for row in db.execute(
            "select i.shipping_amount, x.shipping_refunded, i.shipping_tax_amount, x.shipping_tax_refunded, "
            "i.base_shipping_amount, x.base_shipping_refunded, i.base_shipping_tax_amount, "
            "x.base_shipping_tax_refunded from invoice_refunds x join invoices i on i.entity_id = x.invoice_id"):
        invoiced, refunded = row[0], row[1]
        if invoiced == 0:
            shipping += any(row[1:])
            continue
        shipping += any(prorate(a, refunded, invoiced) != tally for a, tally in zip(row[2::2], row[3::2]))
    return {"line tallies = prorate(invoiced, qty refunded, qty)": lines,
            "shipping tallies = prorate(invoiced, shipping refunded, shipping)": shipping}


IN_FLIGHT_KEYS = """select k.idempotency_key, exists(select 1 from creditmemo_comments c where c.comment = k.idempotency_key)
                      from idempotency_keys k where k.answer_status is null"""


def store_checks(db_path):
    """Every CHECKS query, and the key table against the memos. {name: violations}, extras."""
    db = sqlite3.connect(db_path, timeout=30)
    try:
        db.execute("begin")  # one snapshot for every query
        result = {name: len(db.execute(sql).fetchall()) for name, sql in CHECKS}
        result.update(arithmetic_checks(db))
        tags = dict(db.execute("select comment, creditmemo_id from creditmemo_comments"))
        bad_keys = 0
        for key, status, body in db.execute(
                "select idempotency_key, answer_status, answer_body from idempotency_keys "
                "where answer_status is not null"):
            if 200 <= status < 300:
                # the answer kept for the key names the key's memo
                bad_keys += memo_id(body) is None or tags.get(key) != memo_id(body)
            else:
                bad_keys += key in tags  # a refusal kept for a key whose request was written
        stuck = db.execute(IN_FLIGHT_KEYS).fetchall()
        result["key table: answer kept disagrees with the store"] = bad_keys
        result["key table: in flight with nothing written"] = sum(1 for _, written in stuck if not written)
        extras = {
            "memos": db.execute("select count(*) from creditmemos").fetchone()[0],
            "stuck": sum(1 for _, written in stuck if written),
            "tags": tags,
            "memos_by_id": {mid: (tag, email) for tag, mid, email in db.execute(
                "select k.comment, m.entity_id, m.email_sent from creditmemos m "
                "join creditmemo_comments k on k.creditmemo_id = m.entity_id")},
            "booked": booked(db),
            "refunded": db.execute("select coalesce(sum(base_grand_total), 0) from creditmemos").fetchone()[0],
            "sources": dict(db.execute("select source, count(*) from creditmemos group by source")),
            "online": db.execute("select count(*) from creditmemos where refund_type = 'online'").fetchone()[0],
        }
        db.execute("rollback")
        return result, extras
    finally:
        db.close()


def booked(db):
    """Each request's memo as booked: {tag: (items {order_item_id: qty}, skus {sku: qty}, shipping,
    adjustment_positive, adjustment_negative, refund_type, currency)}."""
    memos = {}
    for tag, mid, ship, plus, minus, kind, cur in db.execute(
            "select k.comment, m.entity_id, m.shipping_amount, m.adjustment_positive, m.adjustment_negative, "
            "m.refund_type, m.order_currency_code from creditmemos m "
            "join creditmemo_comments k on k.creditmemo_id = m.entity_id"):
        memos[mid] = (tag, {}, {}, ship, plus, minus, kind, cur)
    for mid, item, sku, qty in db.execute("select creditmemo_id, order_item_id, sku, qty from creditmemo_items"):
        if mid in memos:
            memos[mid][1][item] = memos[mid][1].get(item, 0) + qty
            memos[mid][2][sku] = memos[mid][2].get(sku, 0) + qty
    return {m[0]: m[1:] for m in memos.values()}


def asked_matches(body, memo):
    """Whether a memo books exactly what a request body asked."""
    items, skus, ship, plus, minus, kind, currency = memo
    scale = 10 ** MINOR_DIGITS.get(currency, 2)

    def minor(v):
        return int(decimal.Decimal(str(v)) * scale) if v is not None else 0

    if body.get("refund_type", "offline") != kind or minor(body.get("adjustment_positive")) != plus \
            or minor(body.get("adjustment_negative")) != minus:
        return False
    if "items" not in body:
        return True  # everything left: what was left is not known here
    if "shipping_amount" in body and minor(body["shipping_amount"]) != ship:
        return False
    if "shipping_amount" not in body and ship != 0:
        return False
    asked_items, asked_skus = {}, {}
    for line in body["items"]:
        qty = int(decimal.Decimal(str(line["qty"])) * 10000)
        if "sku" in line:
            asked_skus[line["sku"]] = qty
        else:
            asked_items[line["order_item_id"]] = qty
    return all(items.get(i) == q for i, q in asked_items.items()) \
        and all(skus.get(k) == q for k, q in asked_skus.items()) \
        and len(items) == len(asked_items) + len(asked_skus)


def client_checks(answers, extras):
    """The answers the client got against the store."""
    tags, memos = extras["tags"], extras["memos_by_id"]
    by_tag = {}
    for a in answers:
        by_tag.setdefault(a["tag"], []).append(a)
    missing = refused_written = differ = fresh_twice = other_memo = 0
    for tag, got in by_tag.items():
        if tag in extras["booked"]:
            # one of the bodies sent under the tag (a race may carry another body)
            other_memo += not any(asked_matches(a["send"]["body"], extras["booked"][tag]) for a in got)
        created = [a for a in got if a["status"] == 201]
        for a in created:
            mid = memo_id(a["body"])
            missing += mid is None or memos.get(mid, (None,))[0] != tag
        if len({a["body"] for a in created}) > 1:
            differ += 1
        if sum(1 for a in created if not a["replayed"]) > 1:
            fresh_twice += 1
        # written though every answer said "refused, nothing done"
        maybe = any(a["status"] is None or a["status"] == 201 or a["status"] == 409 or a["status"] >= 500 for a in got)
        refused_written += tag in tags and not maybe
    return {
        "201 answered, memo missing from the store after kill -9": missing,
        "refused (4xx), yet written": refused_written,
        "one key, two different 201 answers": differ,
        "one request, two fresh 201s": fresh_twice,
        "memo differs from what its request asked": other_memo,
    }


# -------------------------------------------------------------------- the run


def main():
    ap = argparse.ArgumentParser(description="Refunds under attack: concurrency, replays, kill -9.")
    ap.add_argument("--requests", type=int, default=15000, help="credit memo POSTs to fire (default 15000)")
    ap.add_argument("--concurrency", type=int, default=20, help="requests in flight at once (default 20)")
    ap.add_argument("--kills", type=int, default=8, help="kill -9s during the stream (default 8)")
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build", "debug", "folio"),
                    help="folio binary (default .build/debug/folio; copied first)")
    ap.add_argument("--seed", type=int, default=7, help="random seed of the plan and the seeded store (default 7)")
    ap.add_argument("--keep", action="store_true",
                    help="keep the work directory (database, server logs, answers.jsonl) even when all is well")
    opts = ap.parse_args()
    if opts.requests < 1 or opts.concurrency < 1 or opts.kills < 0:
        ap.error("--requests and --concurrency must be at least 1, --kills at least 0")
    if not os.access(opts.binary, os.X_OK):
        ap.error("no executable at %s (swift build --product folio)" % opts.binary)
    command = "python3 scripts/refund-attack.py --requests %d --concurrency %d --kills %d --seed %d" % (
        opts.requests, opts.concurrency, opts.kills, opts.seed)

    started = time.monotonic()
    workdir = tempfile.mkdtemp(prefix="refund-attack.")
    binary = os.path.join(workdir, "folio")
    shutil.copy2(opts.binary, binary)
    windows = -(-opts.requests // WINDOW)
    seed_orders = max(300, windows * ORDERS_PER_WINDOW * 5 // 4 + 50)
    server = Server(binary, workdir, os.path.join(workdir, "store.sqlite"), seed_orders, opts.seed)
    try:
        first_start = server.start()
    except RuntimeError as e:
        print("refund-attack: %s" % e, file=sys.stderr)
        print("refund-attack: work directory kept: %s" % workdir, file=sys.stderr)
        return 2

    failed = True
    try:
        orders = catalog(server.db)
        sends = plan(orders, opts.requests, opts.seed)

        cond = threading.Condition()
        state = {"up": True, "sent": 0, "inflight": 0, "generation": 1, "abort": None, "done": False}
        killed = set()  # generations (server runs) ended by kill -9
        answers, lost, replays, restarts, mid_checks = [], [], [], [], []
        record_lock = threading.Lock()
        rnd = random.Random(opts.seed + 1)  # kill timing jitter

        def fire(send):
            barrier = send.get("barrier")
            if barrier is not None:
                try:
                    barrier.wait(timeout=1.0)
                except threading.BrokenBarrierError:
                    pass
            with cond:
                while not state["up"]:
                    cond.wait()
                if state["abort"]:
                    return  # the server stopped answering: the rest would only wait out their timeouts
                state["inflight"] += 1
                state["sent"] += 1
                generation, url = state["generation"], server.url
                cond.notify_all()
            status, replayed, data, error = post(url, send)
            with cond:
                state["inflight"] -= 1
                during_kill = generation in killed
                if status is None and not during_kill and not state["abort"]:
                    state["abort"] = "%s: %s" % (send["tag"], error)
                cond.notify_all()
            a = {"tag": send["tag"], "key": send["key"], "status": status, "replayed": replayed, "body": data,
                 "error": error, "during_kill": during_kill, "send": send, "replay": False}
            with record_lock:
                answers.append(a)
                if status is None and during_kill:
                    lost.append(a)

        def replay_lost():
            """Sends again every keyed request whose answer a kill lost: the keys
            at once, the lost sends of one key one after the other (so that a 409
            means the key's first request is in flight for good, not a sibling)."""
            with record_lock:
                todo = [a for a in lost if a["key"] is not None and not a.get("replayed_once")]
                for a in todo:
                    a["replayed_once"] = True
            by_key = {}
            for a in todo:
                by_key.setdefault(a["key"], []).append(a)

            def again(sends):
                for a in sends:
                    status, replayed, data, error = post(server.url, a["send"])
                    with record_lock:
                        replays.append({"tag": a["tag"], "key": a["key"], "status": status, "replayed": replayed,
                                        "body": data, "error": error, "during_kill": False, "send": a["send"],
                                        "replay": True})

            with concurrent.futures.ThreadPoolExecutor(max(1, min(opts.concurrency, len(by_key)))) as ex:
                for f in [ex.submit(again, sends) for sends in by_key.values()]:
                    f.result()

        def killer():
            for k in range(opts.kills):
                threshold = (k + 1) * opts.requests // (opts.kills + 1)
                with cond:
                    while state["sent"] < threshold and not state["done"]:
                        cond.wait()
                    if state["done"] and state["sent"] < threshold:
                        return  # the stream stopped early (see "requests sent")
                time.sleep(rnd.uniform(0, 0.03))  # somewhere in a request's life
                with cond:
                    # with a request in flight (unless every request has been sent)
                    while state["inflight"] == 0 and state["sent"] < opts.requests and not state["done"]:
                        cond.wait()
                    state["up"] = False  # no new request; those in flight stay in flight
                    inflight = state["inflight"]
                    killed.add(state["generation"])
                server.kill9()
                t0 = time.monotonic()
                with cond:
                    if not cond.wait_for(lambda: state["inflight"] == 0, timeout=REQUEST_TIMEOUT + 10):
                        raise RuntimeError("requests still in flight 70 s after kill %d" % (k + 1))
                try:
                    back = server.start()  # the same port: clients come back to the same address
                except RuntimeError:
                    server.port = 0  # taken meanwhile by someone else: any port (the clients follow)
                    back = server.start()
                with cond:
                    state["generation"] += 1
                replay_lost()
                checks, extras = store_checks(server.db)
                mid_checks.append(checks)
                restarts.append({"inflight": inflight, "down": time.monotonic() - t0, "start": back,
                                 "memos": extras["memos"]})
                with cond:
                    state["up"] = True
                    cond.notify_all()

        killer_error = []

        def killer_guarded():
            try:
                killer()
            except Exception as e:  # the stream must not wait forever on a gate that never opens
                killer_error.append(e)
                with cond:
                    state["up"] = True
                    cond.notify_all()

        stream_start = time.monotonic()
        kt = threading.Thread(target=killer_guarded, daemon=True)
        kt.start()
        with concurrent.futures.ThreadPoolExecutor(opts.concurrency) as ex:
            for f in [ex.submit(fire, s) for s in sends]:
                f.result()
        with cond:
            state["done"] = True
            cond.notify_all()
        kt.join(timeout=REQUEST_TIMEOUT + START_DEADLINE + 30)
        stream_seconds = time.monotonic() - stream_start
        if killer_error or kt.is_alive():
            # the server did not come back after a kill (or the kills never ended): a finding, not a usage error
            print("refund-attack: %s" % (killer_error[0] if killer_error else "the kills did not finish"),
                  file=sys.stderr)
            return 1
        replay_lost()  # a request lost to the last kill but counted after its replay pass

        server_alive = server.proc.poll() is None
        exit_status = server.stop()
        final, extras = store_checks(server.db)
        everything = answers + replays
        final.update(client_checks(everything, extras))

        # ---------------------------------------------------------- figures
        def count(xs, pred):
            return sum(1 for a in xs if pred(a))

        with open(os.path.join(workdir, "answers.jsonl"), "w") as f:
            for a in everything:
                f.write(json.dumps({
                    "tag": a["tag"], "key": a["key"], "role": "replay" if a["replay"] else a["send"]["role"],
                    "path": a["send"]["path"], "request": a["send"]["body"], "status": a["status"],
                    "replayed": a["replayed"], "during_kill": a["during_kill"], "error": a["error"],
                    "answer": a["body"][:400].decode("utf-8", "replace")}) + "\n")

        five_xx = count(everything, lambda a: a["status"] is not None and a["status"] >= 500 and not a["during_kill"])
        dropped = count(everything, lambda a: a["status"] is None and not a["during_kill"])
        statuses = {}
        for a in answers:
            if a["status"] not in (None, 201, 400, 409, 422):
                statuses[a["status"]] = statuses.get(a["status"], 0) + 1
        keyed = count(answers, lambda a: a["key"] is not None)
        racing = count(answers, lambda a: a["send"]["role"] == "race")
        another = count(answers, lambda a: a["send"]["role"] == "race" and not a["send"]["same"])
        late = count(answers, lambda a: a["send"]["role"] == "late")
        lost_keyless = count(lost, lambda a: a["key"] is None)
        emailed_asked = {a["tag"] for a in everything if a["send"]["body"].get("send_email")}
        emails_lost = sum(1 for tag, email in extras["memos_by_id"].values() if tag in emailed_asked and not email)

        def r(pred):
            return count(replays, pred)

        rows = [
            ("requests sent", state["sent"] if state["sent"] == opts.requests else "%d of %d (stopped: %s)" % (
                state["sent"], opts.requests, state["abort"])),
            ("… with an Idempotency-Key", keyed),
            ("… sent 2–4 at once under one key (of them with another body)", "%d (%d)" % (racing, another)),
            ("… sent again 30–120 requests later", late),
            ("201 Created", count(answers, lambda a: a["status"] == 201)),
            ("… of them replays (`Idempotent-Replayed: true`)",
             count(answers, lambda a: a["status"] == 201 and a["replayed"])),
            ("400", count(answers, lambda a: a["status"] == 400)),
            ("409 (with a key / without)", "%d / %d" % (
                count(answers, lambda a: a["status"] == 409 and a["key"] is not None),
                count(answers, lambda a: a["status"] == 409 and a["key"] is None))),
            ("422", count(answers, lambda a: a["status"] == 422)),
            ("other", ", ".join("%s: %d" % kv for kv in sorted(statuses.items())) or "0"),
            ("answers lost to a kill (with a key / without)",
             "%d / %d" % (len(lost) - lost_keyless, lost_keyless)),
            ("5xx or dropped connection outside a kill", five_xx + dropped),
            ("credit memos in the store", "%d (invoice source %d, order source %d; online %d)" % (
                extras["memos"], extras["sources"].get("invoice", 0), extras["sources"].get("order", 0),
                extras["online"])),
            ("kills (kill -9, requests in flight)", "%d (%s)" % (
                len(restarts), ", ".join(str(x["inflight"]) for x in restarts) or "–")),
            ("replays of lost keys", len(replays)),
            ("… 201 replayed (answer was kept)", r(lambda a: a["status"] == 201 and a["replayed"])),
            ("… 201 fresh (the kill came before the commit)", r(lambda a: a["status"] == 201 and not a["replayed"])),
            ("… 409 (committed, answer lost with the process)", r(lambda a: a["status"] == 409)),
            ("… 4xx refusal (kept, or fresh)", r(lambda a: a["status"] is not None and 400 <= a["status"] < 500
                                                 and a["status"] != 409)),
            ("… other", r(lambda a: a["status"] is None or a["status"] >= 500 or a["status"] < 400
                          and a["status"] != 201)),
            ("keys left in flight with their memo written", extras["stuck"]),
            ("emails asked for, lost to a kill (memo saved, email_sent 0)", emails_lost),
            ("server restarts: longest time down", "%.2f s" % max([x["down"] for x in restarts] or [0])),
            ("server log lines at level error", server.logged_errors()),
        ]
        violations = sum(final.values()) + sum(sum(c.values()) for c in mid_checks)
        bad = violations + five_xx + dropped + (0 if server_alive else 1)
        failed = bad > 0

        print()
        print("| figure | count |")
        print("|---|---:|")
        for name, value in rows:
            print("| %s | %s |" % (name, value))
        print()
        print("| invariant | violations at the end | worst after a restart |")
        print("|---|---:|---:|")
        for name in final:
            worst = max((c[name] for c in mid_checks if name in c), default=None)
            print("| %s | %d | %s |" % (name, final[name], "–" if worst is None else worst))
        print()
        if not server_alive:
            print("refund-attack: the server was not running at the end of the stream")
        if exit_status != 0:
            print("refund-attack: note: the server's exit status on SIGTERM was %s" % exit_status)
        for a in [a for a in everything if (a["status"] is None or a["status"] >= 500) and not a["during_kill"]][:10]:
            print("refund-attack: %s %s %s: %s %s" % (a["tag"], a["send"]["path"], a["status"], a["error"] or "",
                                                     a["body"][:200].decode("utf-8", "replace")))
        print("%s  — %s, %d cores, %.0f s (stream %.0f s, first start %.1f s, %d orders seeded), exit %d" % (
            command, time.strftime("%Y-%m-%d", time.gmtime()), os.cpu_count() or 0,
            time.monotonic() - started, stream_seconds, first_start, seed_orders, 1 if failed else 0))
        return 1 if failed else 0
    except (RuntimeError, sqlite3.Error, OSError) as e:
        print("refund-attack: %s" % e, file=sys.stderr)
        return 2
    finally:
        if server.proc is not None and server.proc.poll() is None:
            server.stop()
        if failed or opts.keep:
            print("refund-attack: work directory kept: %s" % workdir, file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
