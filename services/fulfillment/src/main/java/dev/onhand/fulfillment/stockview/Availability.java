package dev.onhand.fulfillment.stockview;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Available units per (SKU, location) as stock last announced them, minus what fulfillment has
 * asked stock for and not yet heard back about ({@code requested}: raised with each allocation,
 * lowered when stock answers it, in the same transactions). Stock stays the arbiter: a reservation
 * it cannot make is rejected and the order allocated again.
 */
@ApplicationScoped
public class Availability {

  public static String key(String sku, String location) {
    return sku + "@" + location;
  }

  /**
   * Locks every row of these SKUs, by (SKU, location): the one order in which this service takes
   * availability rows. A write to some rows of a SKU locks all of them first, so a transaction
   * holding one location's row never waits for another's held by a transaction waiting for it (a
   * stock-events batch settling one location and then recording an event, against orders locking
   * both).
   */
  private static Uni<Void> lockSkus(SqlClient sql, List<String> skus) {
    return sql.preparedQuery(
            "SELECT 1 FROM availability WHERE sku = ANY($1) ORDER BY sku, location FOR UPDATE")
        .execute(Tuple.of(skus.stream().distinct().sorted().toArray(String[]::new)))
        .replaceWithVoid();
  }

  /**
   * Records stock's announcement; an older one (lower sequence) never overwrites a newer one. The
   * SKU's rows are locked first ({@link #lockSkus}).
   */
  public Uni<Void> announced(
      SqlClient sql, String sku, String location, long available, long sequence) {
    return lockSkus(sql, List.of(sku))
        .chain(
            () ->
                sql.preparedQuery(
                        "INSERT INTO availability (sku, location, available, sequence) VALUES ($1,"
                            + " $2, $3, $4) ON CONFLICT (sku, location) DO UPDATE SET available ="
                            + " excluded.available, sequence = excluded.sequence WHERE"
                            + " availability.sequence < excluded.sequence")
                    .execute(Tuple.of(sku, location, available, sequence)))
        .replaceWithVoid();
  }

  /**
   * Stock said fewer are available than announced (a rejection): believe it until the next event.
   */
  public Uni<Void> atMost(SqlClient sql, String sku, String location, long available) {
    return lockSkus(sql, List.of(sku))
        .chain(
            () ->
                sql.preparedQuery(
                        "UPDATE availability SET available = least(available, $3) WHERE sku = $1"
                            + " AND location = $2")
                    .execute(Tuple.of(sku, location, available)))
        .replaceWithVoid();
  }

  /**
   * What may still be asked of stock for these SKUs at these locations, keyed by {@link #key}.
   * Locked ({@code lock}), the rows stay locked until the transaction ends, so allocations of one
   * SKU see each other's requests. A plan made from an unlocked read is checked again on the locked
   * rows before its units are counted (the allocator's last step).
   */
  public Uni<Map<String, Long>> free(
      SqlClient sql, List<String> skus, List<String> locations, boolean lock) {
    return sql.preparedQuery(
            "SELECT a.sku, a.location, a.available - a.requested AS free FROM availability a"
                + " WHERE a.sku = ANY($1) AND a.location = ANY($2) ORDER BY a.sku, a.location"
                + (lock ? " FOR UPDATE OF a" : ""))
        .execute(Tuple.of(skus.toArray(String[]::new), locations.toArray(String[]::new)))
        .map(
            rows -> {
              Map<String, Long> free = new HashMap<>();
              rows.forEach(
                  row ->
                      free.put(
                          key(row.getString("sku"), row.getString("location")),
                          Math.max(0, row.getLong("free"))));
              return free;
            });
  }

  /** Units of a SKU at a location, asked of stock (or, negative, answered by it). */
  public record Claim(String sku, String location, long units) {}

  /**
   * Adds each claim's units to {@code availability.requested} (negative: stock answered), the SKUs'
   * rows locked first ({@link #lockSkus}).
   */
  public static Uni<Void> changeRequested(SqlClient sql, List<Claim> claims) {
    if (claims.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    List<Tuple> changes =
        claims.stream().map(c -> Tuple.of(c.sku(), c.location(), c.units())).toList();
    return lockSkus(sql, claims.stream().map(Claim::sku).toList())
        .chain(
            () ->
                sql.preparedQuery(
                        "UPDATE availability SET requested = requested + $3 WHERE sku = $1 AND"
                            + " location = $2")
                    .executeBatch(changes))
        .replaceWithVoid();
  }
}
