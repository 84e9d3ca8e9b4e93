package dev.onhand.stock.location;

import dev.onhand.platform.api.Page;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

@ApplicationScoped
public class LocationRepository {
  private final Pool pool;

  public LocationRepository(Pool pool) {
    this.pool = pool;
  }

  public record Upserted(Location location, boolean created) {}

  public Uni<Upserted> upsert(SqlClient sql, String code, LocationRequest request) {
    return sql.preparedQuery(
            "INSERT INTO location (code, name, type, authoritative) VALUES ($1, $2, $3, $4)"
                + " ON CONFLICT (code) DO UPDATE SET name = excluded.name, type = excluded.type,"
                + " authoritative = excluded.authoritative, updated_at = now()"
                + " RETURNING *, (xmax = 0) AS created")
        .execute(
            Tuple.of(
                code,
                request.name(),
                request.type().name(),
                Boolean.TRUE.equals(request.authoritative())))
        .map(
            rows -> {
              Row row = rows.iterator().next();
              return new Upserted(Location.fromRow(row), row.getBoolean("created"));
            });
  }

  public Uni<Location> find(String code) {
    return pool.preparedQuery("SELECT * FROM location WHERE code = $1")
        .execute(Tuple.of(code))
        .map(rows -> rows.iterator().hasNext() ? Location.fromRow(rows.iterator().next()) : null);
  }

  public Uni<Page<Location>> list(String after, int limit) {
    return pool.preparedQuery("SELECT * FROM location WHERE code > $1 ORDER BY code LIMIT $2")
        .execute(Tuple.of(after == null ? "" : after, limit + 1))
        .map(
            rows -> {
              List<Location> items = new ArrayList<>();
              rows.forEach(row -> items.add(Location.fromRow(row)));
              return Page.of(items, limit, l -> new String[] {l.code()});
            });
  }
}
