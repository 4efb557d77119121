"""The demo world: the users, collections, wantlists, listings, orders and lists of ``--demo``.

:func:`populate` fills a :class:`~discogs_tui.emulator.state.State` from a seeded random
generator, so the same dataset, seed and scale always give the same world.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from discogs_tui.emulator.messages import chat_message, status_message
from discogs_tui.emulator.records import (
    FieldRecord,
    FolderRecord,
    InstanceRecord,
    ListingRecord,
    ListRecord,
    OrderRecord,
    UserRecord,
    WantRecord,
)
from discogs_tui.emulator.vocab import (
    CONDITION_FACTORS,
    DISCOGS_TZ,
    MEDIA_CONDITIONS,
    SLEEVE_CONDITIONS,
    USD_RATES,
    reference_price,
    timestamp,
)

if TYPE_CHECKING:
    from discogs_tui.emulator.state import State

_EPOCH = datetime(2023, 1, 1, 12, 0, 0, tzinfo=DISCOGS_TZ)

_FOLDER_NAMES = ("Vinyl", "CDs", "Techno", "Jazz & Soul", "To Sell", "Favourites")
_COMMENTS = (
    "",
    "Plays great, light surface marks.",
    "Sealed copy.",
    "Corner ding on sleeve, vinyl is clean.",
    "Ships in a sturdy mailer.",
    "Includes original inner sleeve and insert.",
    "Promo stamp on label.",
    "Small seam split, otherwise great.",
)
_LOCATIONS = ("Shelf A", "Shelf B", "Crate 3", "Box 12", "Back room", "")
_WANT_NOTES = ("", "", "Only the first pressing", "Any copy in VG+ or better", "Gift idea")
_TEXTAREA_NOTES = (
    "Bought at a record fair.",
    "Signed by the artist.",
    "Cleaned with a wet vac.",
    "Gift from a friend.",
    "Needs a new outer sleeve.",
)
_BUYERS = ("vinylfan", "crate_digger", "beatcollector")
_ADDRESSES = (
    "Alex Example\n12 Sample Road\nSpringfield, OR 97477\nUnited States",
    "Sam Placeholder\n4 Rue Exemple\n75011 Paris\nFrance",
    "Jo Testperson\n88 Demo Street\nLeeds LS1 4AP\nUnited Kingdom",
)


class _DemoBuilder:
    """Fills a :class:`State` with the demo users and their data."""

    def __init__(self, state: State, rng: random.Random, release_ids: list[int], scale: int):
        if not release_ids:
            raise ValueError("the dataset has no releases to build the demo from")
        self.state = state
        self.rng = rng
        self.release_ids = release_ids
        self.scale = max(0, scale)

    def when(self, days_back_max: int = 900) -> str:
        """A random past timestamp in the demo's time range."""
        offset = self.rng.randrange(days_back_max * 86400)
        return timestamp(_EPOCH + timedelta(days=900) - timedelta(seconds=offset))

    def build(self) -> None:
        """Create every demo user and their data."""
        s = self.state
        s.consumers["demo-consumer-key"] = "demo-consumer-secret"
        people = [
            UserRecord(
                id=1_000_001,
                username="demo",
                name="Demo User",
                email="demo@example.com",
                profile="I collect [b]techno[/b] and [i]jazz[/i] records. See [a1] for a favourite.",
                home_page="https://example.com/demo",
                location="Portland, Oregon",
                curr_abbr="USD",
                registered="2012-08-15T21:13:36-07:00",
                rank=149.0,
                releases_contributed=5,
                buyer_num_ratings=144,
                seller_num_ratings=21,
            ),
            UserRecord(
                id=1_000_002,
                username="seller2",
                name="Second Seller",
                email="seller2@example.com",
                profile="Second-hand records, graded honestly.",
                location="Berlin, Germany",
                curr_abbr="EUR",
                ships_from="Germany",
                registered="2015-03-02T09:00:00-07:00",
                seller_num_ratings=310,
                seller_rating=99.6,
            ),
            UserRecord(
                id=1_000_003,
                username="privateuser",
                name="Private Person",
                email="private@example.com",
                location="Leeds, United Kingdom",
                curr_abbr="GBP",
                ships_from="United Kingdom",
                registered="2018-11-20T12:00:00-07:00",
                collection_public=False,
                wantlist_public=False,
            ),
        ]
        for index, name in enumerate(_BUYERS):
            people.append(
                UserRecord(
                    id=1_000_010 + index,
                    username=name,
                    name=name.replace("_", " ").title(),
                    email=f"{name}@example.com",
                    registered="2019-01-01T10:00:00-07:00",
                )
            )
        for person in people:
            s.users[person.username.lower()] = person
        s.tokens.update(
            {
                "demo-token": "demo",
                "seller2-token": "seller2",
                "private-token": "privateuser",
                **{f"{name}-token": name for name in _BUYERS},
            }
        )
        people[0].contributions = self.pick(5)
        self.demo_collection()
        self.demo_wantlist()
        self.demo_inventory()
        self.demo_orders()
        self.demo_lists()
        self.demo_ratings()
        self.other_users()

    def pick(self, count: int) -> list[int]:
        """``count`` distinct release ids (fewer when the dataset is smaller)."""
        return self.rng.sample(self.release_ids, min(count, len(self.release_ids)))

    def demo_collection(self) -> None:
        """Folders, custom fields and a few hundred (or ``scale``) instances for ``demo``."""
        s, rng = self.state, self.rng
        collection = s.collection("demo")
        folder_ids = [1]
        for name in _FOLDER_NAMES:
            folder = FolderRecord(s.next_id("folder"), name)
            collection.folders[folder.id] = folder
            folder_ids.append(folder.id)
        collection.fields = [
            FieldRecord(
                id=1, name="Media", type="dropdown", position=1, public=True,
                options=list(MEDIA_CONDITIONS),
            ),
            FieldRecord(id=2, name="Notes", type="textarea", position=2, public=False, lines=3),
        ]  # fmt: skip
        count = self.scale or 300
        n = len(self.release_ids)
        start = rng.randrange(n)
        for k in range(count):
            release_id = self.release_ids[(start + k * 7) % n]
            notes: list[dict[str, Any]] = []
            if k % 3 == 0:
                notes.append({"field_id": 1, "value": MEDIA_CONDITIONS[k % 5]})
            if k % 4 == 1:
                notes.append({"field_id": 2, "value": _TEXTAREA_NOTES[k % len(_TEXTAREA_NOTES)]})
            collection.add(
                InstanceRecord(
                    instance_id=s.next_id("instance"),
                    release_id=release_id,
                    folder_id=folder_ids[rng.randrange(len(folder_ids))],
                    rating=rng.choice((0, 0, 3, 4, 5, 2, 1)),
                    date_added=self.when(),
                    notes=notes,
                )
            )

    def demo_wantlist(self) -> None:
        """About 50 wants with some notes and ratings."""
        wants = self.state.wantlist("demo")
        for release_id in self.pick(120):
            if len(wants) >= 50:
                break
            if self.state.in_collection("demo", release_id):
                continue
            wants[release_id] = WantRecord(
                release_id=release_id,
                rating=self.rng.choice((0, 0, 0, 3, 4, 5)),
                notes=self.rng.choice(_WANT_NOTES),
                date_added=self.when(),
            )

    def listing(self, seller: str, release_id: int, status: str, currency: str) -> ListingRecord:
        """A random listing of ``release_id`` by ``seller``."""
        rng = self.rng
        condition = rng.choice(MEDIA_CONDITIONS[:6])
        factor = CONDITION_FACTORS[condition]
        price = round(reference_price(release_id) * (0.6 + factor) * USD_RATES[currency], 2)
        return ListingRecord(
            id=self.state.next_id("listing"),
            seller=seller,
            release_id=release_id,
            status=status,
            price=price,
            currency=currency,
            condition=condition,
            sleeve_condition=rng.choice(SLEEVE_CONDITIONS),
            posted=self.when(600),
            comments=rng.choice(_COMMENTS),
            allow_offers=rng.random() < 0.3,
            external_id=f"SKU-{rng.randrange(10000):04d}" if rng.random() < 0.5 else "",
            location=rng.choice(_LOCATIONS),
            weight=rng.choice((0, 90, 180, 230, 460)),
            format_quantity=rng.choice((1, 1, 1, 2)),
            audio=rng.random() < 0.1,
        )

    def demo_inventory(self) -> None:
        """About 200 (or ``scale``) listings over For Sale, Draft, Expired and Sold."""
        s = self.state
        count = self.scale or 200
        n = len(self.release_ids)
        start = self.rng.randrange(n)
        statuses = ("For Sale",) * 6 + ("Draft", "Expired", "Sold")
        for k in range(count):
            release_id = self.release_ids[(start + k * 11) % n]
            record = self.listing("demo", release_id, statuses[k % len(statuses)], "USD")
            s.listings[record.id] = record

    def demo_orders(self) -> None:
        """A few orders of demo's Sold listings, in varied statuses, with messages."""
        s, rng = self.state, self.rng
        sold = [x for x in s.inventory("demo") if x.status == "Sold"][:8]
        demo = s.users["demo"]
        plan = (
            "New Order",
            "Invoice Sent",
            "Payment Received",
            "Shipped",
            "Cancelled (Non-Paying Buyer)",
        )
        for number, status in enumerate(plan, start=1):
            items = sold[(number - 1) % max(1, len(sold)) :][:2] if sold else []
            if not items:
                break
            buyer = _BUYERS[number % len(_BUYERS)]
            created = _EPOCH + timedelta(days=600 + number * 13, hours=number)
            order_id = f"{demo.id}-{number}"
            order = OrderRecord(
                id=order_id,
                seller="demo",
                buyer=buyer,
                status=status,
                created=timestamp(created),
                last_activity=timestamp(created + timedelta(days=2)),
                currency="USD",
                items=[
                    {
                        "id": x.id,
                        "release_id": x.release_id,
                        "price": x.price,
                        "media_condition": x.condition,
                        "sleeve_condition": x.sleeve_condition,
                    }
                    for x in items
                ],
                shipping=0.0 if status == "New Order" else 5.0,
                shipping_address=_ADDRESSES[number % len(_ADDRESSES)],
                additional_instructions=rng.choice(("", "Please use sturdy packaging.")),
                archived=status.startswith("Cancelled"),
            )
            order.messages.append(
                status_message(order, "demo", f"{buyer} created the order.", created, 1)
            )
            order.messages.append(
                chat_message(
                    order,
                    s.users[buyer],
                    "Hi! Could you combine shipping with my other order?",
                    created + timedelta(hours=3),
                )
            )
            if status != "New Order":
                order.messages.append(
                    chat_message(
                        order, demo, "Thank you for your order!", created + timedelta(days=1)
                    )
                )
            s.orders[order.id] = order

    def demo_lists(self) -> None:
        """Two lists for demo (one private) and a public one for seller2."""
        s = self.state
        for owner, name, public in (
            ("demo", "Desert island records", True),
            ("demo", "Records to digitise", False),
            ("seller2", "Staff picks", True),
        ):
            created = self.when()
            record = ListRecord(
                id=s.next_id("list"),
                owner=owner,
                name=name,
                description=f"{name} by {owner}.",
                public=public,
                created=created,
                modified=created,
                items=[
                    {"type": "release", "id": rid, "comment": self.rng.choice(_COMMENTS)}
                    for rid in self.pick(6)
                ],
            )
            s.lists[record.id] = record

    def demo_ratings(self) -> None:
        """Release ratings by demo and the buyers (they feed the community rating)."""
        s = self.state
        for name in ("demo", *_BUYERS):
            s.release_ratings[name] = {rid: self.rng.randint(1, 5) for rid in self.pick(40)}

    def other_users(self) -> None:
        """seller2's public inventory and collection, and privateuser's private collection."""
        s = self.state
        # Release 1 ("Stockholm") is always on sale, so its marketplace stats are never empty.
        picks = self.pick(40)
        first = self.release_ids[0]
        for release_id in [first, *(r for r in picks if r != first)]:
            status = "For Sale" if release_id == first or self.rng.random() < 0.85 else "Draft"
            record = self.listing("seller2", release_id, status, "EUR")
            s.listings[record.id] = record
        for username, count in (("seller2", 25), ("privateuser", 30)):
            collection = s.collection(username)
            for release_id in self.pick(count):
                collection.add(
                    InstanceRecord(
                        instance_id=s.next_id("instance"),
                        release_id=release_id,
                        folder_id=1,
                        rating=self.rng.choice((0, 3, 4, 5)),
                        date_added=self.when(),
                    )
                )
            wants = s.wantlist(username)
            for release_id in self.pick(10):
                wants[release_id] = WantRecord(release_id, 0, "", self.when())


def populate(state: State, release_ids: list[int], *, scale: int, seed: int) -> None:
    """Fill ``state`` with the demo world built from ``release_ids`` and ``seed``.

    With ``scale=N`` (N > 0) the demo user gets N listings and N collection instances.
    Raises ``ValueError`` when there are no releases.
    """
    _DemoBuilder(state, random.Random(seed), release_ids, scale).build()
