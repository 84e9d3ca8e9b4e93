package dev.onhand.channelsync.sellable;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.onhand.channelsync.push.PushWorker;
import dev.onhand.platform.inbox.Inbox;
import dev.onhand.platform.inbox.MessageReader;
import dev.onhand.platform.inbox.PermanentMessageFailure;
import dev.onhand.platform.messaging.Envelope;
import dev.onhand.platform.tx.UnitOfWork;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Stock's balances, from {@code stock.inventory.changed} (queue {@code channel-sync.inventory}):
 * keeps the newest available units per (SKU, location), dropping an event whose sequence is not
 * newer than the one kept (redelivered late, or duplicated), and records the new sellable quantity
 * of every listing whose channel sells from that location, in the inbox's transaction.
 */
@ApplicationScoped
public class InventoryConsumer {
  public static final String CONSUMER = "channel-sync.inventory";
  public static final String INVENTORY_CHANGED = "stock.inventory.changed";

  private final Inbox inbox;
  private final MessageReader reader;
  private final ChannelQuantities quantities;
  private final PushWorker pushes;

  public InventoryConsumer(
      Inbox inbox, MessageReader reader, ChannelQuantities quantities, PushWorker pushes) {
    this.inbox = inbox;
    this.reader = reader;
    this.quantities = quantities;
    this.pushes = pushes;
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record InventoryChanged(
      @NotNull String sku,
      @NotNull String location,
      @NotNull @Min(1) Long sequence,
      @NotNull @Valid Quantities quantities) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Quantities(@NotNull @Min(0) Long available) {}

  @Incoming("inventory")
  public Uni<Void> consume(Message<?> message) {
    return inbox.consumeInBatches(CONSUMER, message, this::applyAll);
  }

  /**
   * A batch of changes, in SKU order: the rows of a SKU are then locked in the order the push
   * worker records its outcomes, so the two do not deadlock. Of several changes of one balance only
   * the newest is applied: applied one by one, the older ones would be dropped or overwritten.
   */
  Uni<Void> applyAll(UnitOfWork unit, List<Envelope> envelopes) {
    Map<String, Change> newest = new TreeMap<>();
    for (Envelope envelope : envelopes) {
      if (!envelope.type().equals(INVENTORY_CHANGED)) {
        throw new PermanentMessageFailure("unexpected message type " + envelope.type());
      }
      InventoryChanged changed = reader.read(envelope, InventoryChanged.class);
      // latency is measured from when stock wrote the change
      OffsetDateTime at =
          (envelope.time() == null ? Instant.now() : envelope.time()).atOffset(ZoneOffset.UTC);
      newest.merge(
          changed.sku() + "\u0000" + changed.location(),
          new Change(changed, at),
          (kept, next) -> next.changed().sequence() > kept.changed().sequence() ? next : kept);
    }
    // the new quantities leave at the push worker's next round, which need not wait for its poll
    unit.afterCommit(pushes::wakeUp);
    Uni<Void> applied = Uni.createFrom().voidItem();
    for (Change change : newest.values()) {
      applied = applied.chain(() -> apply(unit, change.changed(), change.at()));
    }
    return applied;
  }

  private record Change(InventoryChanged changed, OffsetDateTime at) {}

  private Uni<Void> apply(UnitOfWork unit, InventoryChanged changed, OffsetDateTime at) {
    return unit.sql()
        .preparedQuery(
            "INSERT INTO stock_level (sku, location, available, sequence, changed_at) VALUES ($1,"
                + " $2, $3, $4, $5) ON CONFLICT (sku, location) DO UPDATE SET available ="
                + " excluded.available, sequence = excluded.sequence, changed_at ="
                + " excluded.changed_at WHERE stock_level.sequence < excluded.sequence")
        .execute(
            Tuple.tuple()
                .addString(changed.sku())
                .addString(changed.location())
                .addLong(changed.quantities().available())
                .addLong(changed.sequence())
                .addOffsetDateTime(at))
        .chain(
            applied ->
                applied.rowCount() == 0
                    ? Uni.createFrom().voidItem() // stale: a newer balance is already kept
                    : quantities.stockChanged(unit.sql(), changed.sku(), changed.location(), at));
  }
}
