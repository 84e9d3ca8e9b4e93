package dev.onhand.receiving.reference;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.onhand.platform.inbox.Inbox;
import dev.onhand.platform.inbox.MessageReader;
import dev.onhand.platform.inbox.PermanentMessageFailure;
import dev.onhand.platform.messaging.Envelope;
import dev.onhand.platform.tx.UnitOfWork;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.constraints.NotNull;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Keeps {@link KnownReferences} in step with stock's locations and items. */
@ApplicationScoped
public class StockReferenceConsumer {
  public static final String CONSUMER = "receiving.stock-reference";
  static final String LOCATION_CHANGED = "stock.location.changed";
  static final String ITEM_CHANGED = "stock.item.changed";

  private final Inbox inbox;
  private final MessageReader reader;
  private final KnownReferences references;

  public StockReferenceConsumer(Inbox inbox, MessageReader reader, KnownReferences references) {
    this.inbox = inbox;
    this.reader = reader;
    this.references = references;
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record LocationChanged(
      @NotNull String code, @NotNull String type, @NotNull OffsetDateTime updatedAt) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ItemChanged(@NotNull String sku, @NotNull OffsetDateTime updatedAt) {}

  @Incoming("stock-reference")
  public Uni<Void> consume(Message<?> message) {
    return inbox.consume(CONSUMER, message, this::apply);
  }

  Uni<Void> apply(UnitOfWork unit, Envelope envelope) {
    switch (envelope.type()) {
      case LOCATION_CHANGED:
        LocationChanged location = reader.read(envelope, LocationChanged.class);
        return references.location(
            unit.sql(), location.code(), location.type(), location.updatedAt());
      case ITEM_CHANGED:
        ItemChanged item = reader.read(envelope, ItemChanged.class);
        return references.item(unit.sql(), item.sku(), item.updatedAt());
      default:
        throw new PermanentMessageFailure("unexpected message type " + envelope.type());
    }
  }
}
