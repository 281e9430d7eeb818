-- The benchmark's bulk rows, set-based (bench/desk_bench.py runs it with psql-style %(name)s parameters).
-- Orders, lines, payouts, tracking events, claims with their stored durations, surveys and help-desk
-- requests over HISTORY_DAYS, spread over sellers (boutique-paris and marc heavier) and buyers.
-- Pseudo-random but repeatable (setseed); every claim's times follow the domain's rules: a deadline
-- CLAIM_SELLER_BUSINESS_DAYS business days after the opening (the calendar table), a takeover just after
-- it, durations as claims/durations.py counts them (same SQL as its POSTGRESQL_FILL).
SET synchronous_commit = off;
SELECT setseed(0.2026);

-- Sellers and buyers.
INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined)
SELECT '!', false, 'vendeur-' || lpad(i::text, 4, '0'), '', '', 'vendeur-' || lpad(i::text, 4, '0') || '@example.com',
       false, true, now()
  FROM generate_series(1, %(sellers)s) i;
INSERT INTO orders_sellerprofile (display_name, kind, contact_email, user_id, return_address)
SELECT 'Vendeur ' || substr(u.username, 9), CASE WHEN random() < 0.7 THEN 'professional' ELSE 'individual' END,
       u.email, u.id, 'Vendeur ' || substr(u.username, 9) || E'\n1 rue de la Paix\n75002 Paris'
  FROM auth_user u WHERE u.username LIKE 'vendeur-%%';
INSERT INTO orders_listing (title, reference, condition, price, seller_id)
SELECT 'Article du vendeur ' || s.id, lpad(s.id::text, 13, '0'), 'new', round((5 + random() * 400)::numeric, 2), s.id
  FROM orders_sellerprofile s JOIN auth_user u ON u.id = s.user_id WHERE u.username LIKE 'vendeur-%%';
INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined)
SELECT '!', false, 'acheteur-' || lpad(i::text, 5, '0'), '', '', 'acheteur-' || lpad(i::text, 5, '0') || '@example.com',
       false, true, now()
  FROM generate_series(1, %(buyers)s) i;

-- idx 0: boutique-paris, 1: marc, then the bulk sellers; each with its first listing.
CREATE TEMP TABLE bench_sellers AS
SELECT (row_number() OVER (ORDER BY (u.username NOT IN ('boutique-paris', 'marc')), u.username <> 'boutique-paris', s.id)
        - 1)::int AS idx, s.id AS seller_id, l.id AS listing_id, l.price, l.title
  FROM orders_sellerprofile s JOIN auth_user u ON u.id = s.user_id
  JOIN LATERAL (SELECT * FROM orders_listing WHERE seller_id = s.id ORDER BY id LIMIT 1) l ON true;
CREATE UNIQUE INDEX ON bench_sellers (idx);
CREATE TEMP TABLE bench_buyers AS
SELECT (row_number() OVER (ORDER BY id) - 1)::int AS idx, id FROM auth_user
 WHERE username LIKE 'acheteur-%%' OR username IN ('alice', 'bob');
CREATE UNIQUE INDEX ON bench_buyers (idx);

-- The orders, with explicit ids after the existing ones.
CREATE TEMP TABLE bench_orders AS
SELECT (SELECT coalesce(max(id), 0) FROM orders_order) + g.i AS id, g.i,
       now() - random() * make_interval(days => %(history_days)s) AS purchased_at,
       random() AS r_seller, random() AS r_buyer, random() AS r_ship, random() AS r_pay, random() AS r_guarantee,
       random() AS r_claim, random() AS r_open, random() AS r_reason, random() AS r_answer, random() AS r_answered,
       random() AS r_outcome, random() AS r_close, random() AS r_survey, random() AS r_satisfied
  FROM generate_series(1, %(orders)s) g(i);
ALTER TABLE bench_orders ADD COLUMN seller_idx int, ADD COLUMN buyer_idx int;
UPDATE bench_orders SET
  seller_idx = CASE WHEN r_seller < 0.05 THEN 0 WHEN r_seller < 0.07 THEN 1
                    ELSE 2 + least(floor((r_seller - 0.07) / 0.93 * %(sellers)s)::int, %(sellers)s - 1) END,
  buyer_idx = floor(r_buyer * (SELECT count(*) FROM bench_buyers))::int;

INSERT INTO orders_order (id, number, purchased_at, status, shipping_method, destination, payment_method, wallet_amount,
                          has_guarantee, total, shipped_at, delivered_at, finalizes_at, finalized_at, buyer_id, seller_id)
SELECT o.id, 'RB-' || to_char(o.purchased_at, 'YYYY') || '-' || lpad(o.i::text, 7, '0'), o.purchased_at,
       CASE WHEN age > make_interval(weeks => %(closes_weeks)s) THEN 'finalized' WHEN age > interval '4 days' THEN 'delivered'
            WHEN age > interval '1 day' THEN 'shipped' ELSE 'placed' END,
       (ARRAY['standard', 'relay', 'express'])[1 + floor(o.r_ship * 3)::int], 'metropolitan',
       (ARRAY['card', 'paypal', 'paylib'])[1 + floor(o.r_pay * 3)::int], 0, o.r_guarantee < 0.4, s.price,
       CASE WHEN age > interval '1 day' THEN o.purchased_at + interval '1 day' END,
       CASE WHEN age > interval '4 days' THEN o.purchased_at + interval '3 days' END,
       o.purchased_at + make_interval(weeks => %(closes_weeks)s),
       CASE WHEN age > make_interval(weeks => %(closes_weeks)s) THEN o.purchased_at + make_interval(weeks => %(closes_weeks)s) END,
       b.id, s.seller_id
  FROM (SELECT *, now() - purchased_at AS age FROM bench_orders) o
  JOIN bench_sellers s ON s.idx = o.seller_idx JOIN bench_buyers b ON b.idx = o.buyer_idx;
SELECT setval(pg_get_serial_sequence('orders_order', 'id'), (SELECT max(id) FROM orders_order));
INSERT INTO orders_orderline (title, quantity, unit_price, listing_id, order_id)
SELECT s.title, 1, s.price, s.listing_id, o.id FROM bench_orders o JOIN bench_sellers s ON s.idx = o.seller_idx;
INSERT INTO orders_trackingevent (kind, at, carrier, tracking_number, order_id)
SELECT 'placed', o.purchased_at, '', '', o.id FROM bench_orders o;
INSERT INTO orders_payout (amount, status, released_at, paid_at, reference, order_id, seller_id)
SELECT x.total, CASE WHEN x.status = 'finalized' THEN 'to_pay' ELSE 'held' END, x.finalized_at, NULL, '', x.id, x.seller_id
  FROM orders_order x JOIN bench_orders o ON o.id = x.id;

-- The claims: opened 1 to 20 days after the purchase (never after now); a deadline from the calendar.
CREATE TEMP TABLE bench_deadline AS
SELECT o.day, (SELECT min(b.day) FROM claims_businessday b WHERE b.ordinal = o.ordinal + %(seller_days)s) AS deadline_day
  FROM claims_businessday o WHERE o.day BETWEEN current_date - %(history_days)s - 40 AND current_date + 1;
CREATE UNIQUE INDEX ON bench_deadline (day);
CREATE TEMP TABLE bench_claims AS
SELECT c.*, c.deadline_day::timestamp AT TIME ZONE 'Europe/Paris' AS reminder_at,
       (c.deadline_day + time '23:59:59.999999') AT TIME ZONE 'Europe/Paris' AS seller_deadline
  FROM (SELECT o.*, x.buyer_id, x.seller_id, x.has_guarantee, d.deadline_day, op.opened_at
          FROM bench_orders o JOIN orders_order x ON x.id = o.id
          CROSS JOIN LATERAL (SELECT least(o.purchased_at + interval '1 day' + o.r_open * interval '19 days',
                                           now() - o.r_open * interval '1 hour') AS opened_at) op
          JOIN bench_deadline d ON d.day = (op.opened_at AT TIME ZONE 'Europe/Paris')::date
         WHERE o.r_claim < %(claim_share)s) c;
ALTER TABLE bench_claims ADD COLUMN status text, ADD COLUMN seller_answered_at timestamptz,
  ADD COLUMN taken_over_at timestamptz, ADD COLUMN closed_at timestamptz;
UPDATE bench_claims SET seller_answered_at = CASE WHEN r_answered < 0.8 AND opened_at + r_answer * interval '72 hours' < now()
                                                  THEN opened_at + interval '10 minutes' + r_answer * interval '72 hours' END,
  status = CASE WHEN seller_deadline >= now() THEN 'with_seller' WHEN r_outcome < 0.6 THEN 'settled'
                WHEN r_outcome < 0.75 THEN 'withdrawn' ELSE 'decided' END;
UPDATE bench_claims SET closed_at = least(opened_at + interval '2 hours' + r_close * interval '68 hours', now())
 WHERE status IN ('settled', 'withdrawn');
UPDATE bench_claims SET taken_over_at = seller_deadline + interval '1 second',
                        closed_at = seller_deadline + interval '4 hours' + r_close * interval '140 hours'
 WHERE status = 'decided';
UPDATE bench_claims SET status = 'with_support', closed_at = NULL WHERE status = 'decided' AND closed_at >= now();

INSERT INTO claims_claim (reason, other_kind, description, received_reference, status, has_guarantee, opened_at,
                          seller_deadline, reminder_at, reminded_at, taken_over_at, closed_at, withdraw_reason, decision,
                          decision_amount, decision_reason, submission_token, buyer_id, order_id, seller_id,
                          sworn_not_received, wanted_outcome, seller_answered_at, end_business_days,
                          decision_business_days, seller_answer_seconds)
SELECT (ARRAY['damaged', 'different', 'counterfeit', 'not_received'])[1 + floor(c.r_reason * 4)::int], '',
       'Réclamation de charge.', '', c.status, c.has_guarantee, c.opened_at, c.seller_deadline, c.reminder_at,
       CASE WHEN c.reminder_at < now() AND c.status <> 'settled' THEN c.reminder_at END, c.taken_over_at, c.closed_at,
       CASE WHEN c.status = 'withdrawn' THEN 'solved' ELSE '' END,
       CASE WHEN c.status = 'decided' THEN 'seller_favour' ELSE '' END, NULL,
       CASE WHEN c.status = 'decided' THEN 'Charge.' ELSE '' END, gen_random_uuid(), c.buyer_id, c.id, c.seller_id,
       false, '', c.seller_answered_at,
       e.ordinal - o.ordinal,
       CASE WHEN c.status = 'decided' THEN e.ordinal - t.ordinal END,
       GREATEST(floor(extract(epoch FROM c.seller_answered_at - c.opened_at)), 0)::integer
  FROM bench_claims c
  JOIN claims_businessday o ON o.day = (c.opened_at AT TIME ZONE 'Europe/Paris')::date
  LEFT JOIN claims_businessday e ON e.day = (c.closed_at AT TIME ZONE 'Europe/Paris')::date
  LEFT JOIN claims_businessday t ON t.day = (c.taken_over_at AT TIME ZONE 'Europe/Paris')::date
 ORDER BY c.opened_at;

-- Half the settled or decided claims answered the satisfaction question, three in four satisfied.
INSERT INTO claims_satisfactionsurvey (email, language, created_at, email_status, email_attempts, email_next_attempt_at,
                                       email_sent_at, answered_at, satisfied, comment, claim_id)
SELECT 'acheteur@example.com', 'fr', x.closed_at + interval '1 day', 'sent', 1, NULL, x.closed_at + interval '1 day',
       x.closed_at + interval '26 hours', o.r_satisfied < 0.75, '', x.id
  FROM claims_claim x JOIN bench_orders o ON o.id = x.order_id
 WHERE x.status IN ('settled', 'decided') AND o.r_survey < 0.5 AND x.closed_at + interval '26 hours' < now();

-- Help-desk requests: one per REQUEST_EVERY orders, answered by the agent (first response), most of them closed.
CREATE TEMP TABLE bench_requests AS
SELECT o.i, o.purchased_at + interval '2 days' * o.r_open AS created_at, o.r_answer, o.r_close, o.r_outcome,
       b.id AS requester_id, u.email
  FROM bench_orders o JOIN bench_buyers b ON b.idx = o.buyer_idx JOIN auth_user u ON u.id = b.id
 WHERE o.i %% %(request_every)s = 0 AND o.purchased_at + interval '2 days' * o.r_open < now() - interval '1 day';
INSERT INTO helpdesk_contactrequest (reference, topic, status, email, order_number, seller_name, language, created_at,
                                     updated_at, first_response_at, assigned_to_id, order_id, requester_id)
SELECT 'SB-' || lpad(r.i::text, 8, '0'), 'tracking', CASE WHEN r.r_outcome < 0.8 THEN 'closed' ELSE 'waiting_customer' END,
       r.email, '', '', 'fr', r.created_at, r.created_at + interval '1 hour' + r.r_close * interval '96 hours',
       r.created_at + (interval '1 hour' + r.r_close * interval '96 hours') / 2, NULL, NULL, r.requester_id
  FROM bench_requests r;
INSERT INTO helpdesk_contactmessage (role, body, created_at, author_id, request_id)
SELECT 'customer', 'Où est mon colis ?', q.created_at, q.requester_id, q.id
  FROM helpdesk_contactrequest q WHERE q.reference LIKE 'SB-%%';
INSERT INTO helpdesk_contactmessage (role, body, created_at, author_id, request_id)
SELECT 'agent', 'Nous avons relancé le transporteur.', q.first_response_at,
       (SELECT id FROM auth_user WHERE username = 'agent'), q.id
  FROM helpdesk_contactrequest q WHERE q.reference LIKE 'SB-%%';

-- Back-dated rows: the reports' weekly roll-ups, if any, are computed again at the next report.
DELETE FROM claims_reportweek;
