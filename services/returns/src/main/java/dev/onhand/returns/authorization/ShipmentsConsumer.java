package dev.onhand.returns.authorization;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.onhand.platform.inbox.Inbox;
import dev.onhand.platform.inbox.MessageReader;
import dev.onhand.platform.inbox.PermanentMessageFailure;
import dev.onhand.platform.messaging.Envelope;
import dev.onhand.platform.tx.UnitOfWork;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * What fulfillment shipped, per order and SKU: the ceiling of what a return may authorise. For a
 * mispick the SKU that actually left is counted.
 */
@ApplicationScoped
public class ShipmentsConsumer {
  public static final String CONSUMER = "returns.shipments";
  public static final String ORDER_SHIPPED = "fulfillment.order.shipped";

  private final Inbox inbox;
  private final MessageReader reader;
  private final ReturnRepository returns;

  public ShipmentsConsumer(Inbox inbox, MessageReader reader, ReturnRepository returns) {
    this.inbox = inbox;
    this.reader = reader;
    this.returns = returns;
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record OrderShipped(
      @NotNull UUID orderId,
      @NotNull String channel,
      @NotNull String channelOrderId,
      @NotNull UUID shipmentId,
      @NotNull List<@Valid @NotNull Line> lines) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Line(@NotNull String sku, long quantity, String mispickedAs) {}

  @Incoming("shipments")
  public Uni<Void> consume(Message<?> message) {
    return inbox.consume(CONSUMER, message, this::apply);
  }

  Uni<Void> apply(UnitOfWork unit, Envelope envelope) {
    if (!envelope.type().equals(ORDER_SHIPPED)) {
      throw new PermanentMessageFailure("unexpected message type " + envelope.type());
    }
    OrderShipped shipped = reader.read(envelope, OrderShipped.class);
    // a shipment announced again under a new message id is still one shipment
    return inbox
        .firstTime(unit, CONSUMER, "shipment:" + shipped.shipmentId())
        .chain(
            first -> {
              if (!first) {
                return Uni.createFrom().voidItem();
              }
              Uni<Void> chain = Uni.createFrom().voidItem();
              for (Line line : shipped.lines()) {
                String sku = line.mispickedAs() == null ? line.sku() : line.mispickedAs();
                chain =
                    chain.chain(
                        () ->
                            returns.addShipped(
                                unit.sql(),
                                shipped.orderId(),
                                shipped.channel(),
                                shipped.channelOrderId(),
                                sku,
                                line.quantity()));
              }
              return chain;
            });
  }
}
