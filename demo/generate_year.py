#!/usr/bin/python3
"""Writes demo/gift_card_year.csv: a realistic year (days 0..364) of a gift-card programme.

Deterministic (fixed seed, standard library only): running it again rewrites the same file,
byte for byte. demo/run_year.sql replays the file through the ledger's real SQL functions.

Columns: day,seq,event,card,amount,ref,detail,card2,amount2,ip,user_id,idempotency_key (sorted
by day, then seq; seq restarts at 1 every day). Empty fields are NULL.

  issue    card = new 12-character code (as printed on the card), amount = initial load,
           ref = bank | unpaid, detail = start_day:end_day (end empty when the card never
           expires; start is the issue day, except for ~5% of cards bought ahead as presents,
           valid from a later day, so that some holders try them too early),
           user_id = the shop login the card is registered to (its primary user), if any
  topup    card, amount (paid from Bank)
  redeem   a checkout: card = the code as the customer typed it (sometimes lower-case, with
           dashes like abcd-efgh-1234 or pasted with spaces; now and then mistyped), amount,
           ref = order number (ORD-000123), card2/amount2 = a second card paying the rest of the
           same order (split payment, all or none), ip = the customer's address, user_id = the
           logged-in shop user (empty: guest checkout), idempotency_key = the checkout's key;
           detail = resent when the browser sends the same request again (same key)
  refund   card (as printed), amount, ref = order number of the redemption it partly refunds,
           idempotency_key = the refund's key; detail = resent as above
  reverse  card (as printed), ref = order number of the redemption it cancels (amount empty:
           what remains). A split order that is cancelled has one reverse per card.
  freeze   card, detail = reason
  thaw     card
  sweep    the monthly expiry sweep (days 30, 60, ..., 360, and 364), last event of its day

The generator plays the customers, the shop, the fraud team and one stranger who guesses codes
at checkout from a single address (GUESSER_IP) on a few days. It keeps a rough model of each card
only so that the behaviour looks real (people spend what they think is on the card, refund
orders they placed, cancel recent orders, type their code again after a typo); it never decides
an outcome and writes none. Some events are meant to be refused by the ledger: overspends,
spending an expired card or one that has not started yet, spending a frozen card, a relative
logged in as themselves using a card registered to someone else, split orders whose second card
is short, refunds beyond what remains, duplicate reversals and freezes, look-ups from an address
that failed too often. Which ones are refused is decided by the database when the year is
replayed.
"""

import csv
import math
import os
import random
import sys

SEED = 20240917
DAYS = 365
SWEEP_DAYS = frozenset(list(range(30, DAYS, 30)) + [DAYS - 1])
CODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
DENOMINATIONS = [1000, 1500, 2000, 2500, 2500, 3000, 4000, 5000, 5000, 5000, 7500, 10000, 10000, 15000, 20000]
TOPUP_DENOMINATIONS = [1000, 2000, 2500, 5000, 5000, 10000]

# The one address that guesses codes (TEST-NET-3, RFC 5737: a documentation address), the days it
# comes back, and how many codes it tries in each burst. Customers' addresses are 10.x.y.z
# (home) and 100.64-127.x.y (mobile); they are only strings here, nothing connects to them.
GUESSER_IP = "203.0.113.66"
GUESS_DAYS = (150, 151, 153, 154, 156, 157, 159, 161, 162, 196, 240)
GUESSES_PER_VISIT = (4, 8)

FIELDS = ["day", "seq", "event", "card", "amount", "ref", "detail", "card2", "amount2", "ip", "user_id",
          "idempotency_key"]

OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gift_card_year.csv")


def money(cents):
    return "%d.%02d" % (cents // 100, cents % 100)


def row(event, card="", amount=None, ref="", detail="", card2="", amount2=None, ip="", user=None, key=""):
    """One event, without day and seq, as the CSV's fields."""
    return [event, card, "" if amount is None else money(amount), ref, detail, card2,
            "" if amount2 is None else money(amount2), ip, "" if user is None else str(user), key]


def issue_rate(day):
    """Cards sold per day: a launch-day rush, then a steady trickle with Valentine's, Mother's Day
    and Christmas peaks."""
    if day == 0:
        return 12.0
    rate = 2.9
    if 38 <= day <= 44:
        rate *= 2.0
    if 66 <= day <= 72:
        rate *= 1.8
    if 320 <= day <= 358:
        rate *= 3.4
    return rate


class Holder:
    """A customer: a home address, maybe a shop login (user id), one or more cards."""

    def __init__(self, ip, user_id):
        self.ip = ip
        self.user_id = user_id  # None: never logs in (guest checkout)
        self.cards = []


class Card:
    def __init__(self, code, holder, primary_user, issue_day, start, end, load):
        self.code = code
        self.holder = holder
        self.primary_user = primary_user  # the login the card is registered to, or None
        self.issue_day = issue_day
        self.start = start
        self.end = end  # None: never expires
        # What the holder believes is on the card (the shop's receipts tell them).
        self.balance = load
        self.status = "Open"
        self.activity = 0.0  # chance per day of shopping with the card
        self.reloadable = False
        self.early_tries = 0
        self.late_tries = 0
        self.remembered = 0  # what the holder thinks was left when the card expired

    def valid(self, day):
        return self.start <= day and (self.end is None or day < self.end)


class Order:
    """One card's part of an order; a split order has two parts (legs), one per card."""

    def __init__(self, ref, card, amount):
        self.ref = ref
        self.card = card
        self.amount = amount
        self.returned = 0
        self.reversed = False
        self.legs = [self]


class Year:
    def __init__(self, rng):
        self.rng = rng
        self.cards = []
        self.codes = set()
        self.holders = []
        self.home_ips = set()
        self.registered = []  # user ids of holders with a shop login
        self.next_order = 1
        self.next_refund = 1
        self.pending = {}  # day -> [(card, intent, order)]
        self.freezes = {}  # day -> [card]
        self.thaws = {}  # day -> [card]
        self.rows = []
        self.today = None
        self.stats = {"split orders": 0, "mistyped codes": 0, "resent requests": 0, "guesses": 0}

    # -- helpers ---------------------------------------------------------------------------

    def random_code(self):
        while True:
            code = "".join(self.rng.choice(CODE_ALPHABET) for _ in range(12))
            if code not in self.codes:
                self.codes.add(code)  # never issued twice, never issued after being guessed
                return code

    def typed(self, code):
        """The code as a customer types it into the checkout form."""
        rng = self.rng
        r = rng.random()
        if r < 0.62:
            return code
        if r < 0.77:
            return code.lower()
        if r < 0.93:
            dashed = "-".join(code[i:i + 4] for i in range(0, len(code), 4))
            return dashed.lower() if rng.random() < 0.6 else dashed
        return " " + code.lower() + " "  # pasted with the spaces around it

    def mistyped(self, code):
        """The code with one character wrong (never another card's code)."""
        rng = self.rng
        while True:
            i = rng.randrange(len(code))
            wrong = code[:i] + rng.choice(CODE_ALPHABET.replace(code[i], "")) + code[i + 1:]
            if wrong not in self.codes:
                return wrong

    def new_order(self):
        ref = "ORD-%06d" % self.next_order
        self.next_order += 1
        return ref

    def new_holder(self):
        rng = self.rng
        while True:
            ip = "10.%d.%d.%d" % (rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254))
            if ip not in self.home_ips:
                self.home_ips.add(ip)
                break
        user_id = None
        if rng.random() < 0.45:
            user_id = 1001 + len(self.registered)
            self.registered.append(user_id)
        holder = Holder(ip, user_id)
        self.holders.append(holder)
        return holder

    def mobile_ip(self):
        rng = self.rng
        return "100.%d.%d.%d" % (rng.randint(64, 127), rng.randint(0, 255), rng.randint(1, 254))

    def checkout_user(self, card):
        """Who is logged in at checkout: the holder (if they have a login and use it), or now and
        then a relative logged in as themselves, using a card registered to the holder."""
        rng = self.rng
        holder = card.holder
        user = holder.user_id if holder.user_id is not None and rng.random() < 0.85 else None
        if card.primary_user is not None and len(self.registered) > 1 and rng.random() < 0.015:
            user = rng.choice(self.registered)
            if user == holder.user_id:
                user = self.registered[(self.registered.index(user) + 1) % len(self.registered)]
        return user

    def poisson(self, lam):
        limit = math.exp(-lam)
        k, p = 0, self.rng.random()
        while p > limit:
            k += 1
            p *= self.rng.random()
        return k

    def later(self, day, card, intent, order=None):
        if self.today is not None and self.today[0] == day and self.today[1] is card:
            self.today[2].append((intent, order))
        else:
            self.pending.setdefault(day, []).append((card, intent, order))

    def new_card(self, day):
        rng = self.rng
        if self.holders and rng.random() < 0.12:  # a recent customer buys (or is given) another card
            holder = self.holders[-1 - rng.randrange(min(len(self.holders), 300))]
        else:
            holder = self.new_holder()
        primary_user = holder.user_id if holder.user_id is not None and rng.random() < 0.6 else None
        start = day
        if rng.random() < 0.05:  # bought ahead as a present, valid from a later date
            start = day + rng.randint(3, 30)
        end = None if rng.random() < 0.15 else start + rng.randint(90, 365)
        if rng.random() < 0.75:
            load = rng.choice(DENOMINATIONS)
        else:
            load = rng.randint(1000, 20000)
        card = Card(self.random_code(), holder, primary_user, day, start, end, load)
        kind = rng.random()
        if kind < 0.09:
            card.activity = 0.0  # never used: its balance lapses at expiry
        elif kind < 0.35:
            card.activity = 0.02
        elif kind < 0.80:
            card.activity = 0.06
        else:
            card.activity = 0.15
        card.reloadable = rng.random() < 0.15
        if rng.random() < 0.03:  # the fraud team freezes it for a while (maybe after it lapsed)
            freeze_day = day + rng.randint(1, 240)
            self.freezes.setdefault(freeze_day, []).append(card)
            if rng.random() < 0.2:  # reported twice: the second freeze finds it frozen already
                self.freezes[freeze_day].append(card)
            self.thaws.setdefault(freeze_day + rng.randint(3, 45), []).append(card)
        self.cards.append(card)
        holder.cards.append(card)
        return card

    # -- one card's intents on one day, in order -------------------------------------------

    def redeem(self, day, card, out, kind):
        rng = self.rng
        ref = self.new_order()
        believed = card.balance
        if kind == "late":
            believed = card.remembered
        if kind == "overspend" or believed <= 0:
            amount = max(believed, 0) + rng.randint(1, max(500, believed // 2))
        elif believed <= 800 or rng.random() < 0.12:
            amount = believed  # spend what is left
        else:
            amount = max(1, int(believed * rng.uniform(0.08, 0.6)))
        legs = [(card, amount)]
        if kind == "spend" and card.balance > 0 and rng.random() < 0.3:
            # A bigger basket: what is left on this card, the rest from another of the holder's cards.
            others = [c for c in card.holder.cards
                      if c is not card and c.issue_day < day and c.status == "Open" and c.valid(day)
                      and c.balance > 0]
            if others:
                second = rng.choice(others)
                if rng.random() < 0.15:  # the holder thinks the second card holds more than it does
                    rest = second.balance + rng.randint(1, max(500, second.balance // 2))
                else:
                    rest = max(1, int(second.balance * rng.uniform(0.2, 1.0)))
                legs = [(card, card.balance), (second, rest)]
                self.stats["split orders"] += 1
        user = self.checkout_user(card)
        ip = card.holder.ip if rng.random() < 0.85 else self.mobile_ip()
        key = "checkout:" + ref
        split = len(legs) == 2
        typed2 = self.typed(legs[1][0].code) if split else ""

        def checkout(typed1, detail=""):
            return row("redeem", typed1, legs[0][1], ref, detail, typed2, legs[1][1] if split else None,
                       ip, user, key)

        # A typo: the form finds no such card and the customer types it again. Now and then three
        # typos in a row, and the address is blocked for a while: they come back the next day.
        blocked = False
        if rng.random() < 0.025:
            typos = 3 if rng.random() < 0.04 else 1
            for _ in range(typos):
                out.append(checkout(self.typed(self.mistyped(card.code))))
            self.stats["mistyped codes"] += typos
            blocked = typos >= 3
        request = checkout(self.typed(card.code))
        out.append(request)
        if not blocked and rng.random() < 0.008:  # the browser sends the same request again
            out.append(request[:4] + ["resent"] + request[5:])
            self.stats["resent requests"] += 1
        if blocked:
            self.later(day + 1, card, "spend")
            return
        # The shop's view: did the payment go through? (Only to decide what the customer does
        # next; the replay is what tells.)
        ok = all(c.status == "Open" and c.valid(day) and a <= c.balance
                 and (c.primary_user is None or user is None or user == c.primary_user) for c, a in legs)
        if not ok:
            return
        orders = [Order(ref, c, a) for c, a in legs]
        for order in orders:
            order.legs = orders
            order.card.balance -= order.amount
        r = rng.random()
        if r < 0.025:  # order cancelled: reversed (every card of it) the same day or soon after
            when = day + rng.choice([0, 0, 1, 2, 3])
            for order in orders:
                self.later(when, card, "reverse", order)
            if rng.random() < 0.2:  # the clerk presses the button twice
                again = when + rng.choice([0, 1])
                for order in orders:
                    self.later(again, card, "reverse", order)
        elif r < 0.075:  # an item returned later, refunded to one of the cards
            self.later(day + rng.randint(1, 30), card, "refund", rng.choice(orders))

    def refund(self, day, order, out, second=False):
        rng = self.rng
        card = order.card
        if second:  # a second claim on the same order, sized from the receipt, not from what remains
            amount = max(1, int(order.amount * rng.uniform(0.3, 1.0)))
        elif rng.random() < 0.2:
            amount = order.amount
        else:
            amount = max(1, int(order.amount * rng.uniform(0.1, 0.9)))
        key = "refund:%05d" % self.next_refund
        self.next_refund += 1
        request = row("refund", card.code, amount, order.ref, key=key)
        out.append(request)
        if rng.random() < 0.06:  # the back office's request sent again
            out.append(request[:4] + ["resent"] + request[5:])
            self.stats["resent requests"] += 1
        ok = card.status == "Open" and not order.reversed and amount <= order.amount - order.returned
        if ok:
            order.returned += amount
            card.balance += amount
        if not second and rng.random() < 0.15:
            self.later(day + rng.randint(1, 10), card, "refund2", order)
        elif not second and rng.random() < 0.1:
            self.later(day + rng.randint(1, 10), card, "reverse", order)

    def reverse(self, day, order, out):
        card = order.card
        out.append(row("reverse", card.code, None, order.ref))
        remaining = order.amount - order.returned
        if card.status == "Open" and not order.reversed and remaining > 0:
            order.reversed = True
            order.returned = order.amount
            card.balance += remaining

    def card_day(self, day, card, intents):
        """Turns a card's intents for the day into events, updating the rough model."""
        rng = self.rng
        out = []
        queue = list(intents)
        self.today = (day, card, queue)  # same-day follow-ups (cancellations) join this queue
        while queue:
            intent, order = queue.pop(0)
            if intent == "issue":
                out.append(row("issue", card.code, card.balance, "bank" if rng.random() < 0.8 else "unpaid",
                               "%d:%s" % (card.start, "" if card.end is None else card.end),
                               user=card.primary_user))
            elif intent == "freeze":
                out.append(row("freeze", card.code, detail="reported lost or stolen"))
                if card.status == "Open":
                    card.status = "Frozen"
            elif intent == "thaw":
                out.append(row("thaw", card.code))
                if card.status == "Frozen":
                    card.status = "Open"
            elif intent == "topup":
                amount = rng.choice(TOPUP_DENOMINATIONS)
                out.append(row("topup", card.code, amount))
                if card.status == "Open":
                    card.balance += amount
            elif intent in ("spend", "overspend", "early", "late", "frozen"):
                self.redeem(day, card, out, intent)
            elif intent == "refund":
                self.refund(day, order, out)
            elif intent == "refund2":
                self.refund(day, order, out, second=True)
            elif intent == "reverse":
                self.reverse(day, order, out)
        self.today = None
        return out

    def guesses(self):
        """A burst of checkouts from one address, each with a made-up code."""
        rng = self.rng
        out = []
        for _ in range(rng.randint(*GUESSES_PER_VISIT)):
            code = self.random_code()
            ref = self.new_order()
            out.append(row("redeem", code if rng.random() < 0.7 else code.lower(), rng.randint(2000, 15000), ref,
                           ip=GUESSER_IP, key="checkout:" + ref))
        self.stats["guesses"] += len(out)
        return out

    # -- the year ---------------------------------------------------------------------------

    def day(self, day):
        rng = self.rng
        plans = {}  # card -> [(intent, order)], in insertion order

        def plan(card, intent, order=None):
            plans.setdefault(card, []).append((intent, order))

        for _ in range(self.poisson(issue_rate(day))):
            plan(self.new_card(day), "issue")
        for card in self.freezes.pop(day, []):
            plan(card, "freeze")
        for card, intent, order in self.pending.pop(day, []):
            plan(card, intent, order)

        for card in self.cards:
            if card.issue_day > day:
                continue
            if card.status == "Closed" or (card.end is not None and day >= card.end):
                # Expired: a few holders try what they remember was left, for a couple of months.
                if card.late_tries == 0 and card.remembered == 0:
                    card.remembered = card.balance
                if card.remembered > 0 and card.late_tries < 2 and day - card.end < 60 \
                        and rng.random() < 0.012:
                    card.late_tries += 1
                    plan(card, "late")
                continue
            if day < card.start:
                if card.early_tries == 0 and rng.random() < 0.04:
                    card.early_tries += 1
                    plan(card, "early")
                continue
            if card.status == "Frozen":
                if rng.random() < 0.12:
                    plan(card, "frozen")
                if card.reloadable and rng.random() < 0.02:
                    plan(card, "topup")
                continue
            if card.reloadable and card.balance < 2000 and rng.random() < 0.03:
                plan(card, "topup")
            if card.balance > 0 and rng.random() < card.activity:
                plan(card, "overspend" if rng.random() < 0.06 else "spend")
                if rng.random() < 0.05:  # a second purchase the same day
                    plan(card, "spend")
        for card in self.thaws.pop(day, []):
            plan(card, "thaw")

        # Each card's events keep their order; different cards interleave through the day.
        timed = []
        for card, intents in plans.items():
            events = self.card_day(day, card, intents)
            times = sorted(rng.random() for _ in events)
            for t, event in zip(times, events):
                timed.append((t, event))
        if day in GUESS_DAYS:  # the guesses come in one quick burst
            start = rng.uniform(0.05, 0.9)
            for i, event in enumerate(self.guesses()):
                timed.append((start + i * 1e-6, event))
        timed.sort(key=lambda te: (te[0], te[1][1]))
        rows = [event for _, event in timed]
        if day in SWEEP_DAYS:
            rows.append(row("sweep"))
            for card in self.cards:
                if card.status == "Open" and card.end is not None and card.end <= day:
                    card.status = "Closed"
                    if card.remembered == 0:
                        card.remembered = card.balance
                    card.balance = 0
        for seq, fields in enumerate(rows, start=1):
            self.rows.append([day, seq] + fields)


def main():
    year = Year(random.Random(SEED))
    for day in range(DAYS):
        year.day(day)
    with open(OUTPUT, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(FIELDS)
        writer.writerows(year.rows)
    counts = {}
    for fields in year.rows:
        counts[fields[2]] = counts.get(fields[2], 0) + 1
    summary = ", ".join("%s %d" % (k, counts[k]) for k in sorted(counts))
    extra = ", ".join("%s %d" % (k, v) for k, v in year.stats.items())
    print("wrote %s: %d events (%s; %s)" % (os.path.relpath(OUTPUT), len(year.rows), summary, extra),
          file=sys.stderr)


if __name__ == "__main__":
    main()
