package dev.onhand.fulfillment.allocation;

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
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Channel-sync's channel configuration: which locations may fill a channel's orders. */
@ApplicationScoped
public class ChannelConfigConsumer {
  public static final String CONSUMER = "fulfillment.channel-config";
  public static final String CHANNEL_CHANGED = "channel-sync.channel.changed";

  private final Inbox inbox;
  private final MessageReader reader;
  private final ChannelLocations channels;

  public ChannelConfigConsumer(Inbox inbox, MessageReader reader, ChannelLocations channels) {
    this.inbox = inbox;
    this.reader = reader;
    this.channels = channels;
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ChannelChanged(
      @NotNull String code,
      @NotNull List<String> eligibleLocations,
      Boolean allowSplit,
      @NotNull OffsetDateTime updatedAt) {}

  @Incoming("channel-config")
  public Uni<Void> consume(Message<?> message) {
    return inbox.consume(CONSUMER, message, this::apply);
  }

  Uni<Void> apply(UnitOfWork unit, Envelope envelope) {
    if (!envelope.type().equals(CHANNEL_CHANGED)) {
      throw new PermanentMessageFailure("unexpected message type " + envelope.type());
    }
    ChannelChanged channel = reader.read(envelope, ChannelChanged.class);
    return channels.announced(
        unit.sql(),
        channel.code(),
        channel.eligibleLocations(),
        channel.allowSplit() == null || channel.allowSplit(),
        channel.updatedAt());
  }
}
