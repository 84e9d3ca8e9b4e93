package dev.onhand.fulfillment.order;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.onhand.platform.inbox.Inbox;
import dev.onhand.platform.inbox.MessageReader;
import dev.onhand.platform.inbox.PermanentMessageFailure;
import dev.onhand.platform.messaging.Envelope;
import dev.onhand.platform.problem.ProblemException;
import dev.onhand.platform.tx.UnitOfWork;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.constraints.NotNull;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Orders and cancellations channel-sync receives from sales channels. Duplicates and reordering are
 * harmless: an order is identified by (channel, channel order id), and a cancellation that comes
 * first is kept until its order arrives.
 */
@ApplicationScoped
public class ChannelOrdersConsumer {
  public static final String CONSUMER = "fulfillment.channel-orders";
  public static final String ORDER_RECEIVED = "channel-sync.order.received";
  public static final String ORDER_CANCELLED = "channel-sync.order.cancelled";

  private final Inbox inbox;
  private final MessageReader reader;
  private final OrderService orders;

  public ChannelOrdersConsumer(Inbox inbox, MessageReader reader, OrderService orders) {
    this.inbox = inbox;
    this.reader = reader;
    this.orders = orders;
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record OrderCancelled(
      @NotNull String channel, @NotNull String channelOrderId, String reason) {}

  @Incoming("channel-orders")
  public Uni<Void> consume(Message<?> message) {
    return inbox.consume(CONSUMER, message, this::apply);
  }

  Uni<Void> apply(UnitOfWork unit, Envelope envelope) {
    switch (envelope.type()) {
      case ORDER_RECEIVED:
        return orders
            .place(unit, reader.read(envelope, OrderRequest.class))
            .onFailure(ProblemException.class)
            .transform(
                refused ->
                    // e.g. a SKU stock does not know: kept in the dead-letter queue for an operator
                    new PermanentMessageFailure(
                        "order refused: " + ((ProblemException) refused).problem().getDetail()))
            .replaceWithVoid();
      case ORDER_CANCELLED:
        OrderCancelled cancelled = reader.read(envelope, OrderCancelled.class);
        return orders.cancelFromChannel(
            unit, cancelled.channel(), cancelled.channelOrderId(), cancelled.reason());
      default:
        throw new PermanentMessageFailure("unexpected message type " + envelope.type());
    }
  }
}
