#!/usr/bin/python3
"""Writes demo/gift_card_year.csv: a realistic year (days 0..364) of a gift-card programme.

Deterministic (fixed seed, standard library only): running it again rewrites the same file,
byte for byte. demo/run_year.sql replays the file through the ledger's real SQL functions.

Columns: day,seq,event,card,amount,ref,detail (sorted by day, then seq; seq restarts at 1
every day).

  issue    card = new 12-character code, amount = initial load, ref = bank | unpaid,
           detail = start_day:end_day (end empty when the card never expires; start is the
           issue day, except for ~5% of cards bought ahead as presents, valid from a later day,
           so that some holders try them too early)
  topup    card, amount (paid from Bank)
  redeem   card, amount, ref = order number (ORD-000123)
  refund   card, amount, ref = order number of the redemption it partly refunds
  reverse  card, ref = order number of the redemption it cancels (amount empty: what remains)
  freeze   card, detail = reason
  thaw     card
  sweep    the monthly expiry sweep (days 30, 60, ..., 360, and 364), last event of its day

The generator plays the customers, the shop and the fraud team. It keeps a rough model of
each card only so that the behaviour looks real (people spend what they think is on the card,
refund orders they placed, cancel recent orders); it never decides an outcome and writes none.
Some events are meant to be refused by the ledger: overspends, spending an expired card or one
that has not started yet, spending a frozen card, refunds beyond what remains, duplicate
reversals. Which ones are refused is decided by the database when the year is replayed.
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

OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gift_card_year.csv")


def money(cents):
    return "%d.%02d" % (cents // 100, cents % 100)


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


class Card:
    def __init__(self, code, issue_day, start, end, load):
        self.code = code
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
    def __init__(self, ref, card, amount):
        self.ref = ref
        self.card = card
        self.amount = amount
        self.returned = 0
        self.reversed = False


class Year:
    def __init__(self, rng):
        self.rng = rng
        self.cards = []
        self.codes = set()
        self.orders = {}
        self.next_order = 1
        self.pending = {}  # day -> [(card, intent, order)]
        self.freezes = {}  # day -> [card]
        self.thaws = {}  # day -> [card]
        self.rows = []
        self.today = None

    # -- helpers ---------------------------------------------------------------------------

    def new_code(self):
        while True:
            code = "".join(self.rng.choice(CODE_ALPHABET) for _ in range(12))
            if code not in self.codes:
                self.codes.add(code)
                return code

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
        start = day
        if rng.random() < 0.05:  # bought ahead as a present, valid from a later date
            start = day + rng.randint(3, 30)
        end = None if rng.random() < 0.15 else start + rng.randint(90, 365)
        if rng.random() < 0.75:
            load = rng.choice(DENOMINATIONS)
        else:
            load = rng.randint(1000, 20000)
        card = Card(self.new_code(), day, start, end, load)
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
            self.thaws.setdefault(freeze_day + rng.randint(3, 45), []).append(card)
        self.cards.append(card)
        return card

    # -- one card's intents on one day, in order -------------------------------------------

    def redeem(self, day, card, out, kind):
        rng = self.rng
        ref = "ORD-%06d" % self.next_order
        self.next_order += 1
        believed = card.balance
        if kind == "late":
            believed = card.remembered
        if kind == "overspend" or believed <= 0:
            amount = max(believed, 0) + rng.randint(1, max(500, believed // 2))
        elif believed <= 800 or rng.random() < 0.12:
            amount = believed  # spend what is left
        else:
            amount = max(1, int(believed * rng.uniform(0.08, 0.6)))
        out.append(("redeem", card, amount, ref, ""))
        # The shop's view: did the payment go through? (Only to decide what the customer does
        # next; the replay is what tells.)
        ok = card.status == "Open" and card.valid(day) and amount <= card.balance
        if not ok:
            return
        card.balance -= amount
        order = Order(ref, card, amount)
        self.orders[ref] = order
        r = rng.random()
        if r < 0.025:  # order cancelled: reversed the same day or soon after
            when = day + rng.choice([0, 0, 1, 2, 3])
            self.later(when, card, "reverse", order)
            if rng.random() < 0.2:  # the clerk presses the button twice
                self.later(when + rng.choice([0, 1]), card, "reverse", order)
        elif r < 0.075:  # an item returned later
            self.later(day + rng.randint(1, 30), card, "refund", order)

    def refund(self, day, card, order, out, second=False):
        rng = self.rng
        if second:  # a second claim on the same order, sized from the receipt, not from what remains
            amount = max(1, int(order.amount * rng.uniform(0.3, 1.0)))
        elif rng.random() < 0.2:
            amount = order.amount
        else:
            amount = max(1, int(order.amount * rng.uniform(0.1, 0.9)))
        out.append(("refund", card, amount, order.ref, ""))
        ok = card.status == "Open" and not order.reversed and amount <= order.amount - order.returned
        if ok:
            order.returned += amount
            card.balance += amount
        if not second and rng.random() < 0.15:
            self.later(day + rng.randint(1, 10), card, "refund2", order)
        elif not second and rng.random() < 0.1:
            self.later(day + rng.randint(1, 10), card, "reverse", order)

    def reverse(self, day, card, order, out):
        out.append(("reverse", card, None, order.ref, ""))
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
                out.append(("issue", card, card.balance, "bank" if rng.random() < 0.8 else "unpaid",
                            "%d:%s" % (card.start, "" if card.end is None else card.end)))
            elif intent == "freeze":
                out.append(("freeze", card, None, "", "reported lost or stolen"))
                if card.status == "Open":
                    card.status = "Frozen"
            elif intent == "thaw":
                out.append(("thaw", card, None, "", ""))
                if card.status == "Frozen":
                    card.status = "Open"
            elif intent == "topup":
                amount = rng.choice(TOPUP_DENOMINATIONS)
                out.append(("topup", card, amount, "", ""))
                if card.status == "Open":
                    card.balance += amount
            elif intent in ("spend", "overspend", "early", "late", "frozen"):
                self.redeem(day, card, out, intent)
            elif intent == "refund":
                self.refund(day, card, order, out)
            elif intent == "refund2":
                self.refund(day, card, order, out, second=True)
            elif intent == "reverse":
                self.reverse(day, card, order, out)
        self.today = None
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
        timed.sort(key=lambda te: (te[0], te[1][1].code))
        rows = [event for _, event in timed]
        if day in SWEEP_DAYS:
            rows.append(("sweep", None, None, "", ""))
            for card in self.cards:
                if card.status == "Open" and card.end is not None and card.end <= day:
                    card.status = "Closed"
                    if card.remembered == 0:
                        card.remembered = card.balance
                    card.balance = 0
        for seq, (event, card, amount, ref, detail) in enumerate(rows, start=1):
            self.rows.append([day, seq, event, "" if card is None else card.code,
                              "" if amount is None else money(amount), ref, detail])


def main():
    year = Year(random.Random(SEED))
    for day in range(DAYS):
        year.day(day)
    with open(OUTPUT, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["day", "seq", "event", "card", "amount", "ref", "detail"])
        writer.writerows(year.rows)
    counts = {}
    for row in year.rows:
        counts[row[2]] = counts.get(row[2], 0) + 1
    summary = ", ".join("%s %d" % (k, counts[k]) for k in sorted(counts))
    print("wrote %s: %d events (%s)" % (os.path.relpath(OUTPUT), len(year.rows), summary), file=sys.stderr)


if __name__ == "__main__":
    main()
