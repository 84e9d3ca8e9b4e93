package dev.onhand.stock.fillrate;

import dev.onhand.platform.inbox.Inbox;
import dev.onhand.platform.inbox.MessageBatchHandler;
import dev.onhand.platform.inbox.MessageReader;
import dev.onhand.platform.inbox.PermanentMessageFailure;
import dev.onhand.platform.messaging.Envelope;
import dev.onhand.platform.tx.UnitOfWork;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Fulfillment's {@code fulfillment.order.allocated}, into {@code order_line_fill}: the inbox drops
 * a redelivered message, and (order, SKU) is the key, so the same order announced under a new
 * message id counts once too.
 */
@ApplicationScoped
public class OrderAllocatedConsumer {
  public static final String CONSUMER = "stock.fulfillment-orders";
  public static final String ORDER_ALLOCATED = "fulfillment.order.allocated";

  private final Inbox inbox;
  private final MessageReader reader;

  public OrderAllocatedConsumer(Inbox inbox, MessageReader reader) {
    this.inbox = inbox;
    this.reader = reader;
  }

  @Incoming("fulfillment-orders")
  public Uni<Void> consume(Message<?> message) {
    // one of these per order: under load they arrive many at a time, and are applied together
    return inbox.consumeInBatches(CONSUMER, message, MessageBatchHandler.inOrder(this::record));
  }

  Uni<Void> record(UnitOfWork unit, Envelope envelope) {
    if (!ORDER_ALLOCATED.equals(envelope.type())) {
      throw new PermanentMessageFailure("unexpected message type " + envelope.type());
    }
    OrderAllocated order = reader.read(envelope, OrderAllocated.class);
    List<Tuple> rows =
        order.lines().stream()
            .map(
                line -> {
                  if (line.filledAtFirstAllocation() && line.location() == null) {
                    throw new PermanentMessageFailure(
                        ORDER_ALLOCATED + " names no location for filled line " + line.sku());
                  }
                  return Tuple.of(
                          order.orderId(),
                          line.sku(),
                          line.location(),
                          line.quantity(),
                          line.filledAtFirstAllocation())
                      .addOffsetDateTime(order.allocatedAt());
                })
            .toList();
    return unit.sql()
        .preparedQuery(
            "INSERT INTO order_line_fill (order_id, sku, location, quantity, filled, allocated_at)"
                + " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (order_id, sku) DO NOTHING")
        .executeBatch(rows)
        .replaceWithVoid();
  }
}
