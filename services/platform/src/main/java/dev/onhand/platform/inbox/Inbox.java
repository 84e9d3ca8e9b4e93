package dev.onhand.platform.inbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onhand.platform.messaging.Envelope;
import dev.onhand.platform.tx.Transactions;
import dev.onhand.platform.tx.UnitOfWork;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMetadata;
import io.smallrye.reactive.messaging.rabbitmq.RabbitMQRejectMetadata;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

/**
 * The consuming side of at-least-once delivery. Each message's id is recorded in the transaction of
 * its effect, so a redelivered message changes nothing; the message is acked only after that
 * transaction commits. A failing message is retried a bounded number of times (counted in the
 * database, whatever the broker counts), then rejected to its dead-letter queue.
 */
@ApplicationScoped
public class Inbox {
  private static final Logger LOG = Logger.getLogger(Inbox.class);
  private static final String CLAIM =
      "INSERT INTO inbox (consumer, message_id, type) VALUES ($1, $2, $3)"
          + " ON CONFLICT DO NOTHING";
  private static final String RECORD_FAILURE =
      "INSERT INTO inbox_failure (consumer, message_id, type, attempts, last_error, payload)"
          + " VALUES ($1, $2, $3, 1, $4, $5)"
          + " ON CONFLICT (consumer, message_id) DO UPDATE SET attempts = inbox_failure.attempts"
          + " + 1, last_error = excluded.last_error, last_failed_at = now() RETURNING attempts";
  private static final String MARK_DEAD =
      "INSERT INTO inbox_failure (consumer, message_id, type, attempts, last_error, payload,"
          + " dead_lettered) VALUES ($1, $2, $3, 1, $4, $5, true)"
          + " ON CONFLICT (consumer, message_id) DO UPDATE SET dead_lettered = true,"
          + " last_error = excluded.last_error, last_failed_at = now()";

  private final Transactions transactions;
  private final Pool pool;
  private final ObjectMapper mapper;
  private final MeterRegistry registry;
  private final int maxAttempts;
  private final Duration firstBackoff;

  public Inbox(
      Transactions transactions,
      Pool pool,
      ObjectMapper mapper,
      MeterRegistry registry,
      @ConfigProperty(name = "onhand.inbox.max-attempts", defaultValue = "5") int maxAttempts,
      @ConfigProperty(name = "onhand.inbox.first-backoff", defaultValue = "PT0.1S")
          Duration firstBackoff) {
    this.transactions = transactions;
    this.pool = pool;
    this.mapper = mapper;
    this.registry = registry;
    this.maxAttempts = maxAttempts;
    this.firstBackoff = firstBackoff;
  }

  /** Applies the message once, then acks; never fails the returned Uni. */
  public Uni<Void> consume(String consumer, Message<?> message, MessageHandler handler) {
    String raw = payloadText(message.getPayload());
    Envelope envelope;
    try {
      envelope = mapper.readValue(raw, Envelope.class);
    } catch (Exception e) {
      return deadLetter(consumer, message, fallbackId(message, raw), null, raw, e);
    }
    String contractBreach = breach(envelope);
    if (contractBreach != null) {
      String id = envelope.id() == null ? fallbackId(message, raw) : envelope.id();
      return deadLetter(
          consumer, message, id, envelope.type(), raw, new PermanentMessageFailure(contractBreach));
    }
    return transactions
        .run(
            unit ->
                claim(unit, consumer, envelope)
                    .chain(
                        fresh -> {
                          if (!fresh) {
                            registry
                                .counter("onhand.messages.duplicates", "consumer", consumer)
                                .increment();
                            return Uni.createFrom().voidItem();
                          }
                          return handler.handle(unit, envelope);
                        }))
        .onFailure(MessageRejection.class)
        .recoverWithUni(
            rejection -> recordRejection(consumer, envelope, (MessageRejection) rejection))
        .chain(() -> Uni.createFrom().completionStage(message::ack))
        .invoke(
            () -> registry.counter("onhand.messages.consumed", "consumer", consumer).increment())
        .onFailure()
        .recoverWithUni(failure -> failed(consumer, message, envelope, raw, failure));
  }

  /** Why an envelope can never be applied, or null when it is well formed. */
  private static String breach(Envelope envelope) {
    if (envelope.id() == null
        || envelope.type() == null
        || envelope.source() == null
        || envelope.data() == null) {
      return "envelope lacks id, type, source or data";
    }
    if (envelope.schemaVersion() != 1) {
      return "schema version " + envelope.schemaVersion() + " is not one this consumer reads";
    }
    return null;
  }

  /** The handler's work rolled back; record the message as processed with its refusal. */
  private Uni<Void> recordRejection(
      String consumer, Envelope envelope, MessageRejection rejection) {
    LOG.infof(
        "%s: message %s (%s) refused: %s",
        consumer, envelope.id(), envelope.type(), rejection.getCause().getMessage());
    registry.counter("onhand.messages.refused", "consumer", consumer).increment();
    return transactions.run(
        unit ->
            claim(unit, consumer, envelope)
                .invoke(
                    fresh -> {
                      if (fresh) {
                        unit.publish(rejection.reply(), rejection.aggregate());
                      }
                    })
                .replaceWithVoid());
  }

  /**
   * Records a business key (e.g. a shipment id) as processed in the caller's transaction; false
   * when it was already: the same request resent under a new message id then changes nothing.
   */
  public Uni<Boolean> firstTime(UnitOfWork unit, String consumer, String key) {
    return unit.sql()
        .preparedQuery(CLAIM)
        .execute(Tuple.of(consumer, "key:" + key, "business-key"))
        .map(result -> result.rowCount() == 1);
  }

  private Uni<Boolean> claim(UnitOfWork unit, String consumer, Envelope envelope) {
    return unit.sql()
        .preparedQuery(CLAIM)
        .execute(Tuple.of(consumer, envelope.id(), envelope.type()))
        .map(result -> result.rowCount() == 1);
  }

  private Uni<Void> failed(
      String consumer, Message<?> message, Envelope envelope, String raw, Throwable failure) {
    if (failure instanceof PermanentMessageFailure) {
      return deadLetter(consumer, message, envelope.id(), envelope.type(), raw, failure);
    }
    return pool.preparedQuery(RECORD_FAILURE)
        .execute(
            Tuple.of(consumer, envelope.id(), envelope.type(), String.valueOf(failure))
                .addString(raw))
        .map(rows -> rows.iterator().next().getInteger("attempts"))
        .onFailure()
        .recoverWithItem(-1) // the database itself is down: let the broker redeliver
        .chain(
            attempts -> {
              if (attempts >= maxAttempts) {
                return deadLetter(consumer, message, envelope.id(), envelope.type(), raw, failure);
              }
              registry.counter("onhand.messages.retries", "consumer", consumer).increment();
              long factor = 1L << Math.min(Math.max(attempts, 1) - 1, 5);
              LOG.warnf(
                  "%s: message %s (%s) failed, attempt %d of %d: %s",
                  consumer, envelope.id(), envelope.type(), attempts, maxAttempts, failure);
              return Uni.createFrom()
                  .voidItem()
                  .onItem()
                  .delayIt()
                  .by(firstBackoff.multipliedBy(factor))
                  .chain(() -> nack(message, failure, true));
            });
  }

  private Uni<Void> deadLetter(
      String consumer, Message<?> message, String id, String type, String raw, Throwable failure) {
    LOG.errorf("%s: dead-lettering message %s (%s): %s", consumer, id, type, failure);
    registry.counter("onhand.messages.dead_lettered", "consumer", consumer).increment();
    return pool.preparedQuery(MARK_DEAD)
        .execute(Tuple.of(consumer, id, type, String.valueOf(failure)).addString(raw))
        .replaceWithVoid()
        .onFailure()
        .recoverWithNull()
        .chain(() -> nack(message, failure, false));
  }

  private static Uni<Void> nack(Message<?> message, Throwable failure, boolean requeue) {
    return Uni.createFrom()
        .completionStage(
            () -> message.nack(failure, Metadata.of(new RabbitMQRejectMetadata(requeue))));
  }

  private static String payloadText(Object payload) {
    if (payload instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    if (payload instanceof Buffer buffer) {
      return buffer.toString(StandardCharsets.UTF_8);
    }
    if (payload instanceof io.vertx.mutiny.core.buffer.Buffer buffer) {
      return buffer.toString(StandardCharsets.UTF_8.name());
    }
    if (payload instanceof JsonObject json) {
      return json.encode();
    }
    if (payload instanceof JsonArray json) {
      return json.encode();
    }
    return String.valueOf(payload);
  }

  private static String fallbackId(Message<?> message, String raw) {
    return message
        .getMetadata(IncomingRabbitMQMetadata.class)
        .flatMap(IncomingRabbitMQMetadata::getMessageId)
        .orElseGet(() -> "sha256:" + sha256(raw));
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
