package dev.onhand.receiving.reference;

import dev.onhand.platform.inbox.Inbox;
import dev.onhand.platform.reference.StockReferences;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Keeps receiving's copy of stock's locations and items ({@link StockReferences}) current. */
@ApplicationScoped
public class StockReferenceConsumer {
  public static final String CONSUMER = "receiving.stock-reference";

  private final Inbox inbox;
  private final StockReferences references;

  public StockReferenceConsumer(Inbox inbox, StockReferences references) {
    this.inbox = inbox;
    this.references = references;
  }

  @Incoming("stock-reference")
  public Uni<Void> consume(Message<?> message) {
    return inbox.consume(CONSUMER, message, references::apply);
  }
}
