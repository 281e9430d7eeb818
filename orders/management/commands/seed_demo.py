"""Demo accounts, orders and the agents' work (safe to run twice), and `--orders N` random orders (with claims) for load tests."""
import random
import time
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from orders.models import Listing, Order, OrderLine, Payout, SellerProfile, TrackingEvent, sale_closes_after, sale_closes_at
from orders.numbering import ORDER_PREFIX, next_numbers
from orders.services import order_create, order_mark_delivered, order_mark_shipped
from rakuten_portal.agents import agent_group

PASSWORD = "demo-2026"
Payment, Shipping, Destination = Order.Payment, Order.Shipping, Order.Destination

LISTINGS = {
    "boutique-paris": [
        ("Smartphone Galaxy A55 128 Go", "8806095467887", Listing.Condition.NEW, "329.00"),
        ("Casque Bluetooth WH-1000XM5", "4548736132610", Listing.Condition.NEW, "279.90"),
        ("Cafetière expresso Barista", "3016661156281", Listing.Condition.REFURBISHED, "149.00"),
        ("Console Switch OLED", "0045496453435", Listing.Condition.NEW, "319.99"),
    ],
    "marc": [
        ("Roman « L'Étranger », Albert Camus", "9782070360024", Listing.Condition.USED, "4.50"),
        ("Vinyle Daft Punk – Discovery", "0724384960650", Listing.Condition.USED, "24.00"),
        ("Appareil photo Canon EOS 600D", "4960999770535", Listing.Condition.REFURBISHED, "189.00"),
    ],
}

# (days ago, seller, listing index, quantity, payment, shipping, destination, guarantee, tracking, wallet part)
ALICE_ORDERS = [
    (0, "boutique-paris", 0, 1, Payment.CARD, Shipping.EXPRESS, Destination.METROPOLITAN, True, "placed", None),
    (3, "marc", 1, 1, Payment.PAYPAL, Shipping.RELAY, Destination.METROPOLITAN, False, "shipped", None),
    (5, "boutique-paris", 1, 1, Payment.CARD_4X, Shipping.STANDARD, Destination.METROPOLITAN, True, "delivered", None),
    (7, "marc", 2, 1, Payment.WALLET, Shipping.STANDARD, Destination.METROPOLITAN, False, "delivered", "50.00"),
    (8, "boutique-paris", 2, 1, Payment.PAYLIB, Shipping.RELAY, Destination.OVERSEAS, True, "delivered", None),
    (10, "boutique-paris", 3, 1, Payment.CARD_10X, Shipping.STANDARD, Destination.METROPOLITAN, True, "shipped", None),
    (12, "marc", 0, 2, Payment.CARD, Shipping.STANDARD, Destination.ABROAD, False, "delivered", None),
    (20, "marc", 1, 1, Payment.CARD_5X, Shipping.RELAY, Destination.METROPOLITAN, True, "shipped", None),
    (25, "boutique-paris", 0, 1, Payment.CARD_20X, Shipping.STANDARD, Destination.METROPOLITAN, False, "placed", None),
    (43, "boutique-paris", 1, 1, Payment.CARD, Shipping.STANDARD, Destination.METROPOLITAN, True, "delivered", None),
]
BOB_ORDERS = [
    (2, "marc", 0, 1, Payment.CARD, Shipping.STANDARD, Destination.METROPOLITAN, False, "shipped", None),
    (6, "boutique-paris", 2, 1, Payment.PAYPAL, Shipping.EXPRESS, Destination.METROPOLITAN, True, "delivered", None),
    (19, "boutique-paris", 1, 1, Payment.CARD, Shipping.STANDARD, Destination.METROPOLITAN, True, "shipped", None),
]
CARRIERS = ["Colissimo", "Mondial Relay", "Chronopost", "DPD"]


class Command(BaseCommand):
    help = "Create the demo accounts and orders; with --orders N, add N random orders in bulk."

    def add_arguments(self, parser):
        parser.add_argument("--orders", type=int, default=0, help="How many random orders to add in bulk.")
        parser.add_argument("--claim-share", type=float, default=0.03,
                            help="Share of the bulk orders that get a claim (1 gives about one claim per order).")

    def handle(self, *args, orders, claim_share=0.03, **options):
        users = self.ensure_accounts()
        listings = self.ensure_listings(users)
        if not Order.objects.filter(buyer=users["alice"]).exists():
            now = timezone.now()
            self.create_orders(users["alice"], ALICE_ORDERS, listings, now)
            self.create_orders(users["bob"], BOB_ORDERS, listings, now)
            self.stdout.write("Demo orders created for alice and bob.")
        else:
            self.stdout.write("Demo orders already there: nothing to add.")
        # Imported here: the claims app sits above orders.
        from claims import demo

        buyers = demo.ensure_buyers(PASSWORD)
        demo.ensure_canned_replies()
        if not demo.demo_work_exists():
            made = demo.seed_work(buyers=buyers, listings=listings, agent=users["agent"], now=timezone.now())
            self.stdout.write(f"Demo claims and requests created: {made}.")
        else:
            self.stdout.write("Demo claims already there: nothing to add.")
        if orders:
            started = time.monotonic()
            claims = self.bulk_orders(orders, users, listings, claim_share=claim_share)
            self.stdout.write(f"{orders} random orders and {claims} claims added in {time.monotonic() - started:.1f} s.")
        # The demo writes back-dated claims: weeks the reports had already rolled up are computed again.
        demo.forget_report_weeks()

    def ensure_accounts(self):
        User = get_user_model()
        specs = {
            "alice": dict(email="alice@example.com", first_name="Alice"),
            "bob": dict(email="bob@example.com", first_name="Bob"),
            "boutique-paris": dict(email="contact@boutique-paris.example"),
            "marc": dict(email="marc@example.com", first_name="Marc"),
            "agent": dict(email="agent@rakuten.example", is_staff=True, is_superuser=True),
        }
        users = {}
        for username, fields in specs.items():
            user, created = User.objects.get_or_create(username=username, defaults=fields)
            if created:
                user.set_password(PASSWORD)
                user.save(update_fields=["password"])
            users[username] = user
        users["agent"].groups.add(agent_group())
        SellerProfile.objects.get_or_create(user=users["boutique-paris"], defaults=dict(
            display_name="Boutique Paris", kind=SellerProfile.Kind.PROFESSIONAL, contact_email="contact@boutique-paris.example",
            return_address="Boutique Paris — Service retours\n18 rue du Faubourg-Saint-Antoine\n75011 Paris"))
        SellerProfile.objects.get_or_create(user=users["marc"], defaults=dict(
            display_name="Marc D.", kind=SellerProfile.Kind.INDIVIDUAL, contact_email="marc@example.com",
            return_address="Marc D.\n4 impasse des Lilas\n33000 Bordeaux"))
        return users

    def ensure_listings(self, users):
        listings = {}
        for username, rows in LISTINGS.items():
            seller = users[username].seller_profile
            listings[username] = []
            for title, reference, condition, price in rows:
                listing = Listing.objects.filter(seller=seller, reference=reference).first()
                if listing is None:
                    listing = Listing(seller=seller, title=title, reference=reference, condition=condition, price=Decimal(price))
                    listing.full_clean()
                    listing.save()
                listings[username].append(listing)
        return listings

    @transaction.atomic
    def create_orders(self, buyer, specs, listings, now):
        for days, seller_name, index, quantity, payment, shipping, destination, guarantee, tracking, wallet in specs:
            purchased_at = now - timedelta(days=days, minutes=5)
            listing = listings[seller_name][index]
            order = order_create(
                buyer=buyer, seller=listing.seller, lines=[(listing, quantity)], purchased_at=purchased_at,
                payment_method=payment, shipping_method=shipping, destination=destination, has_guarantee=guarantee,
                wallet_amount=Decimal(wallet) if wallet else Decimal("0"),
            )
            if tracking in ("shipped", "delivered"):
                order_mark_shipped(order=order, carrier=CARRIERS[days % len(CARRIERS)],
                                   tracking_number=f"6A{order.pk:011d}", at=purchased_at + timedelta(days=1))
            if tracking == "delivered":
                order_mark_delivered(order=order, at=purchased_at + timedelta(days=min(3, max(days - 1, 1))))

    def bulk_orders(self, count, users, listings, claim_share=0.0):
        """Insert in batches without per-row validation; every generated row respects the payment rules."""
        User = get_user_model()
        buyers = list(User.objects.filter(username__startswith="client-").order_by("pk")[:500])
        if len(buyers) < 500:
            existing = {user.username for user in buyers}
            User.objects.bulk_create([
                User(username=f"client-{i:04d}", email=f"client-{i:04d}@example.com", password="!")
                for i in range(500) if f"client-{i:04d}" not in existing
            ])
            buyers = list(User.objects.filter(username__startswith="client-").order_by("pk")[:500])
        buyers += [users["alice"], users["bob"]]
        all_listings = [listing for rows in listings.values() for listing in rows]
        rng = random.Random(2026)
        now = timezone.now()
        year_numbers = {}
        claims = 0
        batch = 5000
        for start in range(0, count, batch):
            size = min(batch, count - start)
            specs = []
            for _ in range(size):
                listing = rng.choice(all_listings)
                purchased_at = now - timedelta(minutes=rng.randint(0, 60 * 24 * 120))
                specs.append((listing, purchased_at))
            by_year = {}
            for _, purchased_at in specs:
                by_year.setdefault(timezone.localtime(purchased_at).year, 0)
                by_year[timezone.localtime(purchased_at).year] += 1
            for year, needed in by_year.items():
                year_numbers.setdefault(year, []).extend(next_numbers(prefix=ORDER_PREFIX, year=year, count=needed))
            with transaction.atomic():
                rows = []
                for listing, purchased_at in specs:
                    shipping = rng.choice(Shipping.values)
                    destination = rng.choice(Destination.values)
                    allowed = [p for p in Payment.values
                               if not (p in Order.INSTALMENTS and shipping == Shipping.EXPRESS)
                               and not (p in Order.METROPOLITAN_ONLY and destination != Destination.METROPOLITAN)]
                    age = now - purchased_at
                    status = (Order.Status.FINALIZED if age > sale_closes_after() else
                              Order.Status.DELIVERED if age > timedelta(days=4) else
                              Order.Status.SHIPPED if age > timedelta(days=1) else Order.Status.PLACED)
                    rows.append(Order(
                        number=year_numbers[timezone.localtime(purchased_at).year].pop(), buyer=rng.choice(buyers),
                        seller=listing.seller, purchased_at=purchased_at, finalizes_at=sale_closes_at(purchased_at),
                        status=status, shipping_method=shipping, destination=destination,
                        payment_method=rng.choice(allowed), has_guarantee=rng.random() < 0.4, total=listing.price,
                        shipped_at=purchased_at + timedelta(days=1) if status != Order.Status.PLACED else None,
                        finalized_at=sale_closes_at(purchased_at) if status == Order.Status.FINALIZED else None,
                    ))
                created = Order.objects.bulk_create(rows, batch_size=1000)
                if not all(order.pk for order in created):
                    numbers = [order.number for order in rows]
                    created = list(Order.objects.filter(number__in=numbers))
                listing_by_order = {order.number: listing for order, (listing, _) in zip(rows, specs)}
                OrderLine.objects.bulk_create([
                    OrderLine(order=order, listing=listing_by_order[order.number], title=listing_by_order[order.number].title,
                              quantity=1, unit_price=listing_by_order[order.number].price)
                    for order in created
                ], batch_size=2000)
                TrackingEvent.objects.bulk_create([
                    TrackingEvent(order=order, kind=TrackingEvent.Kind.PLACED, at=order.purchased_at) for order in created
                ], batch_size=2000)
                Payout.objects.bulk_create([
                    Payout(order=order, seller_id=order.seller_id, amount=order.total,
                           status=Payout.Status.TO_PAY if order.status == Order.Status.FINALIZED else Payout.Status.HELD,
                           released_at=order.finalized_at)
                    for order in created
                ], batch_size=2000)
                if claim_share:
                    from claims.demo import bulk_claims

                    claims += bulk_claims(orders=[(order.pk, order.buyer_id, order.seller_id, order.purchased_at,
                                                   order.has_guarantee) for order in created],
                                          now=now, share=claim_share, rng=rng)
        return claims
