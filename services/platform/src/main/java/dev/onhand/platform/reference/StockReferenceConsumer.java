package dev.onhand.platform.reference;

import dev.onhand.platform.inbox.Inbox;
import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Keeps a service's copy of stock's locations and items ({@link StockReferences}) current, from its
 * queue {@code <service>.stock-reference}. A service turns it on with {@code
 * onhand.stock-reference.enabled=true} and configures the channel {@code stock-reference}.
 */
@ApplicationScoped
@IfBuildProperty(name = "onhand.stock-reference.enabled", stringValue = "true")
public class StockReferenceConsumer {
  private final Inbox inbox;
  private final StockReferences references;
  private final String consumer;

  public StockReferenceConsumer(
      Inbox inbox,
      StockReferences references,
      @ConfigProperty(name = "onhand.service") String service) {
    this.inbox = inbox;
    this.references = references;
    this.consumer = service + ".stock-reference";
  }

  @Incoming("stock-reference")
  public Uni<Void> consume(Message<?> message) {
    return inbox.consume(consumer, message, references::apply);
  }
}
