-- A catalogue of bad input across the functions: each is refused with its documented
-- SQLSTATE and leaves the ledger exactly as it was (a fingerprint of every ledger table).
\set SHOW_CONTEXT never
\set VERBOSITY terse
DROP EXTENSION oscar_accounts CASCADE;
CREATE EXTENSION oscar_accounts;
SELECT count(*) FROM accounts.accounts_init();
-- Transfer ids start at 1001 so that no transfer id is also an account id.
SELECT setval('accounts.transfer_id_seq', 1000);
-- 5 card (loaded with key 'load-5'), 6 frozen card, 7 euro card, 8 a source with no limit at the
-- bottom of the range, 9 a card, 10 closed card, 11 a ranged, user-owned card.
SELECT id FROM accounts.accounts_create_account(code => 'CARD5', initial_amount => 100.00, source => 3);
SELECT id FROM accounts.accounts_create_account(code => 'CARD6', initial_amount => 10.00, source => 3);
SELECT id FROM accounts.accounts_create_account(code => 'CARD7', currency => 'EUR');
SELECT id FROM accounts.accounts_create_account(name => 'Huge source', credit_limit => NULL);
SELECT id FROM accounts.accounts_create_account(code => 'CARD9');
SELECT id FROM accounts.accounts_create_account(code => 'CARD10');
SELECT id FROM accounts.accounts_create_account(code => 'CARD11', primary_user_id => 42, product_range_id => 3,
                                                initial_amount => 5.00, source => 3);
SELECT id FROM accounts.accounts_transfer(8, 9, 9999999999999999.99);
SELECT id FROM accounts.accounts_freeze(6);
SELECT id FROM accounts.accounts_close(10);
SELECT id FROM accounts.accounts_transfer(3, 5, 1.00, idempotency_key => 'load-5');
SELECT id FROM accounts.accounts_transfer(5, 1, 20.00);                -- 1006
SELECT id FROM accounts.accounts_refund(1006, 5.00);                   -- 1007
SELECT id FROM accounts.accounts_reverse(1006);                        -- 1008
SELECT id FROM accounts.accounts_transfer(5, 1, 30.00);                -- 1009
SELECT id FROM accounts.accounts_refund(1009, 10.00);                  -- 1010
SELECT id, amount, kind FROM accounts.transfer WHERE id >= 1001 ORDER BY id;

-- What "nothing written" means: every ledger table, to the last column.
CREATE FUNCTION pg_temp.fingerprint() RETURNS text LANGUAGE sql AS $$
    SELECT md5(concat_ws('|',
        (SELECT string_agg(concat_ws(',', a.*), ';' ORDER BY a.id) FROM accounts.account a),
        (SELECT string_agg(concat_ws(',', t.*), ';' ORDER BY t.id) FROM accounts.transfer t),
        (SELECT string_agg(concat_ws(',', p.*), ';' ORDER BY p.id) FROM accounts.posting p),
        (SELECT string_agg(concat_ws(',', r.*), ';' ORDER BY r.transfer_id) FROM accounts.transfer_return r),
        (SELECT string_agg(concat_ws(',', i.*), ';' ORDER BY i.key) FROM accounts.idempotent_request i),
        (SELECT string_agg(concat_ws(',', s.*), ';' ORDER BY s.account_id, s.user_id) FROM accounts.account_secondary_user s),
        (SELECT string_agg(concat_ws(',', x.*), ';' ORDER BY x.ip_address) FROM accounts.ip_address_record x),
        (SELECT string_agg(concat_ws(',', y.*), ';' ORDER BY y.id) FROM accounts.account_type y)))
$$;
SELECT pg_temp.fingerprint() AS before \gset

-- 1. amount NULL (expect 22L02)
SELECT accounts.accounts_transfer(3, 5, NULL);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22L02' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 2. amount NaN (expect 22L02)
SELECT accounts.accounts_transfer(3, 5, 'NaN');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22L02' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 3. amount Infinity (expect 22L02)
SELECT accounts.accounts_transfer(3, 5, 'Infinity');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22L02' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 4. amount -Infinity (expect 22L02)
SELECT accounts.accounts_transfer(3, 5, '-Infinity');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22L02' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 5. amount 0 (expect 22L02)
SELECT accounts.accounts_transfer(3, 5, 0);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22L02' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 6. amount -0.00 (expect 22L02)
SELECT accounts.accounts_transfer(3, 5, -0.00);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22L02' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 7. amount negative (expect 22L02)
SELECT accounts.accounts_transfer(3, 5, -5);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22L02' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 8. amount 0.004 (would round to 0.00) (expect 22L02)
SELECT accounts.accounts_transfer(3, 5, 0.004);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22L02' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 9. amount 1e20 (expect 22L02)
SELECT accounts.accounts_transfer(3, 5, 1e20);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22L02' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 10. amount with three decimals (expect 22L02)
SELECT accounts.accounts_transfer(3, 5, 10.001);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22L02' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 11. amount whose sum overflows a balance (expect 22L04)
SELECT accounts.accounts_transfer(8, 9, 0.01);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22L04' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 12. refund amount 0 (expect 22L02)
SELECT accounts.accounts_refund(1006, 0);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22L02' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 13. redeem amount NaN (expect 22L02)
SELECT accounts.accounts_redeem('ORD-BAD', ARRAY[5], ARRAY['NaN'::numeric]);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22L02' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 14. source NULL (expect 22004)
SELECT accounts.accounts_transfer(NULL, 5, 1);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22004' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 15. destination NULL (expect 22004)
SELECT accounts.accounts_transfer(3, NULL, 1);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22004' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 16. unknown source (expect 42L01)
SELECT accounts.accounts_transfer(999999, 5, 1);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '42L01' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 17. negative account id (expect 42L01)
SELECT accounts.accounts_transfer(-1, 5, 1);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '42L01' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 18. a transfer id where an account id is expected (expect 42L01)
SELECT accounts.accounts_transfer(1001, 5, 1);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '42L01' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 19. an account id where a transfer id is expected (expect 42L03)
SELECT accounts.accounts_reverse(5);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '42L03' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 20. same account (expect 22L01)
SELECT accounts.accounts_transfer(5, 5, 1);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22L01' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 21. reverse NULL (expect 22004)
SELECT accounts.accounts_reverse(NULL);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22004' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 22. refund of an unknown transfer (expect 42L03)
SELECT accounts.accounts_refund(999999, 1);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '42L03' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 23. freeze an unknown account (expect 42L01)
SELECT accounts.accounts_freeze(999999);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '42L01' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 24. balance at an unknown account (expect 42L01)
SELECT accounts.accounts_balance_at(-5, now());
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '42L01' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 25. merchant_reference of 129 characters (expect 22001)
SELECT accounts.accounts_transfer(3, 5, 1, merchant_reference => repeat('m', 129));
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22001' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 26. description of 257 characters (expect 22001)
SELECT accounts.accounts_transfer(3, 5, 1, description => repeat('d', 257));
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22001' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 27. username of 151 characters (expect 22001)
SELECT accounts.accounts_transfer(3, 5, 1, username => repeat('u', 151));
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22001' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 28. empty idempotency key (expect 22023)
SELECT accounts.accounts_transfer(3, 5, 1, idempotency_key => '');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22023' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 29. idempotency key of 256 characters (expect 22001)
SELECT accounts.accounts_transfer(3, 5, 1, idempotency_key => repeat('k', 256));
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22001' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 30. code of 129 characters (expect 22L07)
SELECT accounts.accounts_create_account(code => repeat('C', 129));
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22L07' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 31. code that is only a dash (expect 22L07)
SELECT accounts.accounts_create_account(code => '-');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22L07' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 32. empty order number (expect 22004)
SELECT accounts.accounts_redeem('', ARRAY[5], ARRAY[1.00]);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22004' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 33. empty allocation lists (expect 22L09)
SELECT accounts.accounts_redeem('ORD-BAD', ARRAY[]::bigint[], ARRAY[]::numeric[]);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22L09' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 34. look-up without a client address (expect 22004)
SELECT accounts.accounts_lookup_code('CARD5', NULL);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22004' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 35. end_date before start_date (expect 22L08)
SELECT accounts.accounts_create_account(start_date => '2027-02-01', end_date => '2027-01-01');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22L08' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 36. end_date infinity (expect 22L08)
SELECT accounts.accounts_create_account(end_date => 'infinity');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22L08' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 37. start_date -infinity (expect 22L08)
SELECT accounts.accounts_update_account(5, '{"start_date": "-infinity"}');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22L08' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 38. sweep as of the future (expect 22023)
SELECT accounts.accounts_close_expired(as_of => now() + interval '1 day');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22023' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 39. profit and loss end before start (expect 22023)
SELECT accounts.accounts_profit_loss_report('2026-02-01', '2026-01-01');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22023' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 40. import dated in the future (expect 22023)
SELECT accounts.accounts_import_transfer(3, 5, 1, now() + interval '1 day');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22023' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 41. currency that is not a code (expect 22L11)
SELECT accounts.accounts_create_account(currency => 'POUNDS');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22L11' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 42. currency in lower case (expect 22L11)
SELECT accounts.accounts_create_account(currency => 'gbp');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22L11' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 43. currency mismatch (expect 22L03)
SELECT accounts.accounts_transfer(3, 7, 1);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22L03' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 44. status through the edit function (expect 22023)
SELECT accounts.accounts_update_account(5, '{"status": "Lost"}');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22023' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 45. unknown field in an edit (expect 22023)
SELECT accounts.accounts_update_account(5, '{"colour": "red"}');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22023' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 46. thaw an Open account (expect 55L12)
SELECT accounts.accounts_thaw(5);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '55L12' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 47. freeze a Closed account (expect 55L09)
SELECT accounts.accounts_freeze(10);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '55L09' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 48. close an account that holds money (expect 55L13)
SELECT accounts.accounts_close(5);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '55L13' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 49. spend from a Frozen account (expect 55L01)
SELECT accounts.accounts_transfer(6, 1, 1);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '55L01' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 50. pay into a Closed account (expect 55L02)
SELECT accounts.accounts_transfer(3, 10, 1);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '55L02' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 51. user not authorised (expect 42L02)
SELECT accounts.accounts_transfer(11, 1, 1, user_id => 41);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '42L02' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 52. the same account twice in one order (expect 22L09)
SELECT accounts.accounts_redeem('ORD-BAD', ARRAY[5, 5], ARRAY[1.00, 1.00]);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22L09' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 53. idempotency key reused for another request (expect 22L10)
SELECT accounts.accounts_transfer(3, 5, 2.00, idempotency_key => 'load-5');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22L10' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 54. refund above what remains (expect 22L05)
SELECT accounts.accounts_refund(1009, 20.01);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22L05' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 55. refund of a refund (expect 55L04)
SELECT accounts.accounts_refund(1007, 1.00);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '55L04' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 56. second reversal (expect 55L05)
SELECT accounts.accounts_reverse(1006);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '55L05' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 57. insufficient funds (expect 23L01)
SELECT accounts.accounts_transfer(5, 1, 1000);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '23L01' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 58. unknown account type (expect 42L05)
SELECT accounts.accounts_create_account(account_type_id => 999);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '42L05' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 59. range total missing for a ranged account (expect 22004)
SELECT accounts.accounts_permitted_allocation(11, 10.00);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22004' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 60. name already in use (expect 23L03)
SELECT accounts.accounts_create_account(name => 'Bank');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '23L03' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 61. refundable of NULL (expect 22004)
SELECT accounts.accounts_refundable(NULL);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22004' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 62. empty account name (expect 22023)
SELECT accounts.accounts_create_account(name => '');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22023' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 63. account name of 129 characters (expect 22001)
SELECT accounts.accounts_create_account(name => repeat('n', 129));
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22001' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 64. empty name in an edit (expect 22023)
SELECT accounts.accounts_update_account(5, '{"name": ""}');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_SQLSTATE' = '22023' AS documented,
       pg_temp.fingerprint() = :'before' AS nothing_written;

-- 65. a call inside an already-failed transaction (expect 25P02, PostgreSQL's own)
BEGIN;
SELECT accounts.accounts_transfer(3, 5, 0);
SELECT accounts.accounts_transfer(3, 5, 1.00);
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
SELECT pg_temp.fingerprint() = :'before' AS nothing_written;
SELECT count(*) AS violations FROM accounts.accounts_verify();
