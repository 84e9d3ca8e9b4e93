package dev.onhand.fulfillment.stockview;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.onhand.fulfillment.order.OrderService;
import dev.onhand.platform.inbox.Inbox;
import dev.onhand.platform.inbox.MessageBatchHandler;
import dev.onhand.platform.inbox.MessageReader;
import dev.onhand.platform.messaging.Envelope;
import dev.onhand.platform.reference.StockReferences;
import dev.onhand.platform.tx.UnitOfWork;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.constraints.NotNull;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * What fulfillment hears from stock, from one queue so their order is kept: balances (to allocate
 * and to serve backorders), answers to its reservation requests, and locations and items.
 */
@ApplicationScoped
public class StockEventsConsumer {
  public static final String CONSUMER = "fulfillment.stock-events";
  private static final Logger LOG = Logger.getLogger(StockEventsConsumer.class);

  private final Inbox inbox;
  private final MessageReader reader;
  private final StockReferences references;
  private final OrderService orders;

  public StockEventsConsumer(
      Inbox inbox, MessageReader reader, StockReferences references, OrderService orders) {
    this.inbox = inbox;
    this.reader = reader;
    this.references = references;
    this.orders = orders;
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record InventoryChanged(
      @NotNull String sku,
      @NotNull String location,
      long sequence,
      @NotNull Quantities quantities) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Quantities(long available) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Confirmed(@NotNull UUID reservationId) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Rejected(String code, List<RejectedLine> lines) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record RejectedLine(String sku, String location, Long available) {}

  @Incoming("stock-events")
  public Uni<Void> consume(Message<?> message) {
    return inbox.consumeInBatches(CONSUMER, message, MessageBatchHandler.inOrder(this::apply));
  }

  Uni<Void> apply(UnitOfWork unit, Envelope envelope) {
    switch (envelope.type()) {
      case "stock.inventory.changed":
        InventoryChanged changed = reader.read(envelope, InventoryChanged.class);
        return orders.inventoryChanged(
            unit,
            changed.sku(),
            changed.location(),
            changed.quantities().available(),
            changed.sequence());
      case "stock.reservation.confirmed":
        return orders.confirmed(
            unit, correlation(envelope), reader.read(envelope, Confirmed.class).reservationId());
      case "stock.reservation.rejected":
        Rejected rejected = reader.read(envelope, Rejected.class);
        Map<String, Long> availableNow = new HashMap<>();
        if (rejected.lines() != null) {
          rejected.lines().stream()
              .filter(l -> l.available() != null)
              .forEach(l -> availableNow.put(l.sku(), l.available()));
        }
        return orders.rejected(unit, correlation(envelope), availableNow);
      case StockReferences.LOCATION_CHANGED:
      case StockReferences.ITEM_CHANGED:
        return references.apply(unit, envelope);
      default:
        // other stock events (releases, shipments applied) change nothing here
        return Uni.createFrom().voidItem();
    }
  }

  private static UUID correlation(Envelope envelope) {
    try {
      return UUID.fromString(envelope.correlationId());
    } catch (RuntimeException e) {
      LOG.warnf("reply %s without an allocation id as correlation id", envelope.id());
      return new UUID(0, 0);
    }
  }
}
