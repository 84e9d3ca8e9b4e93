package dev.onhand.stock.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onhand.platform.messaging.Envelope;
import dev.onhand.platform.tx.UnitOfWork;
import dev.onhand.stock.messaging.StockEvents;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The only writer of balances and ledger entries. {@link #open} locks the balance rows a change
 * touches (always in key order, so concurrent changes cannot deadlock); {@link #write} appends the
 * entries, stores the balances and publishes one {@code stock.inventory.changed} per changed (SKU,
 * location), all in the caller's transaction. A change that moves a balance's available units
 * across its item's low-stock threshold or to/from zero also publishes one {@code
 * stock.level.crossed}: the threshold is read with the locked row, so crossings are judged on the
 * same serialised history as the balances and each one is announced exactly once.
 */
@ApplicationScoped
public class Ledger {
  private static final String COLUMNS =
      "sku, location, available, committed, reserved, safety_stock, quality_control, damaged,"
          + " incoming, sequence, (SELECT i.low_stock_threshold FROM item i WHERE i.sku ="
          + " balance.sku) AS low_stock_threshold";
  private static final String LOCK =
      "SELECT "
          + COLUMNS
          + " FROM balance WHERE (sku, location) IN (SELECT * FROM unnest($1::text[], $2::text[]))"
          + " ORDER BY sku, location FOR UPDATE";
  private static final String CREATE_MISSING =
      "INSERT INTO balance (sku, location)"
          + " SELECT k.sku, k.location FROM unnest($1::text[], $2::text[]) AS k(sku, location)"
          + " JOIN item i ON i.sku = k.sku JOIN location l ON l.code = k.location"
          + " ORDER BY k.sku, k.location ON CONFLICT DO NOTHING";
  private static final String INSERT_ENTRIES =
      "INSERT INTO ledger (movement_id, sku, location, sequence, state, delta, balance_after,"
          + " reason, reference, actor, idempotency_key, occurred_at) SELECT * FROM"
          + " unnest($1::uuid[], $2::text[], $3::text[], $4::int8[], $5::text[], $6::int8[],"
          + " $7::int8[], $8::text[], $9::text[], $10::text[], $11::text[], $12::timestamptz[])";
  private static final String UPDATE_BALANCES =
      "UPDATE balance b SET available = v.available, committed = v.committed, reserved ="
          + " v.reserved, safety_stock = v.safety_stock, quality_control = v.quality_control,"
          + " damaged = v.damaged, incoming = v.incoming, sequence = v.sequence, updated_at ="
          + " now() FROM unnest($1::text[], $2::text[], $3::int8[], $4::int8[], $5::int8[],"
          + " $6::int8[], $7::int8[], $8::int8[], $9::int8[], $10::int8[]) AS v(sku, location,"
          + " available, committed, reserved, safety_stock, quality_control, damaged, incoming,"
          + " sequence) WHERE b.sku = v.sku AND b.location = v.location";

  private final ObjectMapper mapper;

  public Ledger(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /**
   * Locks the balances of {@code keys}. With {@code createMissing}, a (SKU, location) seen for the
   * first time gets a zero balance row; keys whose SKU or location does not exist are reported in
   * {@link StockChange#unknown()}.
   */
  public Uni<StockChange> open(
      UnitOfWork unit, Collection<BalanceKey> keys, boolean createMissing) {
    SortedKeys sorted = new SortedKeys(keys);
    SqlConnection sql = unit.sql();
    return lock(sql, sorted)
        .chain(
            found -> {
              if (found.size() == sorted.size() || !createMissing) {
                return Uni.createFrom().item(found);
              }
              SortedKeys missing = sorted.without(found.keySet());
              return sql.preparedQuery(CREATE_MISSING)
                  .execute(missing.tuple())
                  .chain(() -> lock(sql, missing))
                  .map(
                      created -> {
                        Map<BalanceKey, Balance> all = new HashMap<>(found);
                        all.putAll(created);
                        return all;
                      });
            })
        .map(
            found -> {
              Set<BalanceKey> unknown = new HashSet<>();
              if (createMissing) {
                for (BalanceKey key : sorted.keys) {
                  if (!found.containsKey(key)) {
                    unknown.add(key);
                  }
                }
              }
              return new StockChange(found, unknown);
            });
  }

  private static Uni<Map<BalanceKey, Balance>> lock(SqlConnection sql, SortedKeys keys) {
    if (keys.size() == 0) {
      return Uni.createFrom().item(new HashMap<>());
    }
    return sql.preparedQuery(LOCK)
        .execute(keys.tuple())
        .map(
            rows -> {
              Map<BalanceKey, Balance> found = new HashMap<>();
              for (Row row : rows) {
                Balance balance = Balance.fromRow(row);
                found.put(balance.key(), balance);
              }
              return found;
            });
  }

  /**
   * Persists a change: ledger entries, balances, and one inventory event per changed balance.
   * {@code traceHeaders} may be null to use the calling thread's trace context.
   */
  public Uni<Void> write(UnitOfWork unit, StockChange change, Map<String, String> traceHeaders) {
    List<LedgerEntry> entries = change.entries();
    if (entries.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    publishChanges(unit, change, traceHeaders);
    // sent without waiting: the rows are locked, nothing reads these answers, and the commit waits
    unit.send(INSERT_ENTRIES, entriesTuple(entries));
    unit.send(UPDATE_BALANCES, balancesTuple(change));
    return Uni.createFrom().voidItem();
  }

  private void publishChanges(UnitOfWork unit, StockChange change, Map<String, String> trace) {
    Map<BalanceKey, List<LedgerEntry>> byKey = new LinkedHashMap<>();
    for (LedgerEntry entry : change.entries()) {
      byKey
          .computeIfAbsent(new BalanceKey(entry.sku(), entry.location()), k -> new ArrayList<>())
          .add(entry);
    }
    for (Balance balance : change.changedBalances()) {
      List<LedgerEntry> movements = byKey.getOrDefault(balance.key(), List.of());
      ObjectNode data = mapper.createObjectNode();
      data.put("sku", balance.key().sku());
      data.put("location", balance.key().location());
      data.put("sequence", balance.sequence());
      data.set("quantities", quantities(balance));
      ArrayNode list = data.putArray("movements");
      for (LedgerEntry entry : movements) {
        ObjectNode m = list.addObject();
        m.put("movementId", entry.movementId().toString());
        m.put("sequence", entry.sequence());
        m.put("state", entry.state().code());
        m.put("delta", entry.delta());
        m.put("balanceAfter", entry.balanceAfter());
        m.put("reason", entry.reason().code());
        if (entry.reference() != null) {
          m.put("reference", entry.reference());
        }
        m.put("actor", entry.actor());
        m.put("occurredAt", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(entry.occurredAt()));
      }
      Envelope envelope =
          Envelope.create(
              StockEvents.INVENTORY_CHANGED,
              StockEvents.SOURCE,
              balance.key().subject(),
              balance.sequence(),
              null,
              data);
      publish(unit, envelope, balance, trace);
      publishCrossings(unit, balance, movements, trace);
    }
  }

  /**
   * One stock.level.crossed per crossing in the ledger's history, judged entry by entry: a
   * transaction that posts many movements together (a group commit) announces every crossing its
   * entries make, each with the sequence of the entry that made it, as if they had been posted one
   * by one.
   */
  private void publishCrossings(
      UnitOfWork unit, Balance balance, List<LedgerEntry> entries, Map<String, String> trace) {
    StockLevel level = balance.openingLevel();
    for (LedgerEntry entry : entries) {
      if (entry.state() != Bucket.AVAILABLE) {
        continue;
      }
      StockLevel after = StockLevel.of(entry.balanceAfter(), balance.lowStockThreshold());
      if (after != level) {
        publish(unit, levelCrossed(balance, entry, level, after), balance, trace);
        level = after;
      }
    }
  }

  private Envelope levelCrossed(
      Balance balance, LedgerEntry entry, StockLevel previous, StockLevel level) {
    ObjectNode data = mapper.createObjectNode();
    data.put("sku", balance.key().sku());
    data.put("location", balance.key().location());
    data.put("sequence", entry.sequence());
    data.put("level", level.name());
    data.put("previousLevel", previous.name());
    data.put("available", entry.balanceAfter());
    data.put("lowStockThreshold", balance.lowStockThreshold());
    return Envelope.create(
        StockEvents.LEVEL_CROSSED,
        StockEvents.SOURCE,
        balance.key().subject(),
        entry.sequence(),
        null,
        data);
  }

  private static void publish(
      UnitOfWork unit, Envelope envelope, Balance balance, Map<String, String> trace) {
    if (trace == null) {
      unit.publish(envelope, balance.key().subject());
    } else {
      unit.publish(envelope, balance.key().subject(), trace);
    }
  }

  /** All quantities of a balance, as events and the API show them. */
  public ObjectNode quantities(Balance balance) {
    ObjectNode quantities = mapper.createObjectNode();
    for (Bucket bucket : Bucket.values()) {
      quantities.put(bucket.code(), balance.get(bucket));
    }
    quantities.put("onHand", balance.onHand());
    return quantities;
  }

  private static Tuple entriesTuple(List<LedgerEntry> entries) {
    int n = entries.size();
    UUID[] movement = new UUID[n];
    String[] sku = new String[n];
    String[] location = new String[n];
    Long[] sequence = new Long[n];
    String[] state = new String[n];
    Long[] delta = new Long[n];
    Long[] after = new Long[n];
    String[] reason = new String[n];
    String[] reference = new String[n];
    String[] actor = new String[n];
    String[] key = new String[n];
    OffsetDateTime[] occurred = new OffsetDateTime[n];
    for (int i = 0; i < n; i++) {
      LedgerEntry e = entries.get(i);
      movement[i] = e.movementId();
      sku[i] = e.sku();
      location[i] = e.location();
      sequence[i] = e.sequence();
      state[i] = e.state().code();
      delta[i] = e.delta();
      after[i] = e.balanceAfter();
      reason[i] = e.reason().code();
      reference[i] = e.reference();
      actor[i] = e.actor();
      key[i] = e.idempotencyKey();
      occurred[i] = e.occurredAt();
    }
    return Tuple.tuple()
        .addArrayOfUUID(movement)
        .addArrayOfString(sku)
        .addArrayOfString(location)
        .addArrayOfLong(sequence)
        .addArrayOfString(state)
        .addArrayOfLong(delta)
        .addArrayOfLong(after)
        .addArrayOfString(reason)
        .addArrayOfString(reference)
        .addArrayOfString(actor)
        .addArrayOfString(key)
        .addArrayOfOffsetDateTime(occurred);
  }

  private static Tuple balancesTuple(StockChange change) {
    List<Balance> changed = change.changedBalances();
    int n = changed.size();
    String[] sku = new String[n];
    String[] location = new String[n];
    Long[][] columns = new Long[Bucket.values().length][n];
    Long[] sequence = new Long[n];
    for (int i = 0; i < n; i++) {
      Balance b = changed.get(i);
      sku[i] = b.key().sku();
      location[i] = b.key().location();
      for (Bucket bucket : Bucket.values()) {
        columns[bucket.ordinal()][i] = b.get(bucket);
      }
      sequence[i] = b.sequence();
    }
    Tuple tuple = Tuple.tuple().addArrayOfString(sku).addArrayOfString(location);
    for (Bucket bucket : Bucket.values()) {
      tuple.addArrayOfLong(columns[bucket.ordinal()]);
    }
    return tuple.addArrayOfLong(sequence);
  }

  /** Keys deduplicated and in lock order, as the two arrays the SQL takes. */
  private static final class SortedKeys {
    final List<BalanceKey> keys;

    SortedKeys(Collection<BalanceKey> keys) {
      this.keys = List.copyOf(new TreeSet<>(keys));
    }

    int size() {
      return keys.size();
    }

    SortedKeys without(Set<BalanceKey> present) {
      return new SortedKeys(keys.stream().filter(k -> !present.contains(k)).toList());
    }

    Tuple tuple() {
      return Tuple.of(
          keys.stream().map(BalanceKey::sku).toArray(String[]::new),
          keys.stream().map(BalanceKey::location).toArray(String[]::new));
    }
  }
}
