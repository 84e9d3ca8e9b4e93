package dev.onhand.stock.item;

import dev.onhand.platform.api.Page;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

@ApplicationScoped
public class ItemRepository {
  private final Pool pool;

  public ItemRepository(Pool pool) {
    this.pool = pool;
  }

  public record Upserted(Item item, boolean created) {}

  public Uni<Upserted> upsert(SqlClient sql, String sku, ItemRequest request) {
    return sql.preparedQuery(
            "INSERT INTO item (sku, name, unit_cost, low_stock_threshold) VALUES ($1, $2, $3, $4)"
                + " ON CONFLICT (sku) DO UPDATE SET name = excluded.name, unit_cost ="
                + " excluded.unit_cost, low_stock_threshold = excluded.low_stock_threshold,"
                + " updated_at = now() RETURNING *, (xmax = 0) AS created")
        .execute(
            Tuple.of(
                sku,
                request.name(),
                request.unitCost() == null ? BigDecimal.ZERO : request.unitCost(),
                request.lowStockThreshold() == null ? 0L : request.lowStockThreshold()))
        .map(
            rows -> {
              Row row = rows.iterator().next();
              return new Upserted(Item.fromRow(row), row.getBoolean("created"));
            });
  }

  public Uni<Item> find(String sku) {
    return pool.preparedQuery("SELECT * FROM item WHERE sku = $1")
        .execute(Tuple.of(sku))
        .map(rows -> rows.iterator().hasNext() ? Item.fromRow(rows.iterator().next()) : null);
  }

  public Uni<Page<Item>> list(String after, int limit) {
    return pool.preparedQuery("SELECT * FROM item WHERE sku > $1 ORDER BY sku LIMIT $2")
        .execute(Tuple.of(after == null ? "" : after, limit + 1))
        .map(
            rows -> {
              List<Item> items = new ArrayList<>();
              rows.forEach(row -> items.add(Item.fromRow(row)));
              return Page.of(items, limit, item -> new String[] {item.sku()});
            });
  }
}
