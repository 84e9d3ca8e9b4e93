-- P1 baseline: the naive hot-row reservation, one conditional UPDATE per transaction
-- (scripts/bench.sh runs it with pgbench -c 64 -j 2 -T 10 -n on a scratch table bench_hot).
UPDATE bench_hot SET available = available - 1 WHERE id = 1 AND available >= 1;
