package dev.onhand.platform.inbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onhand.platform.batch.GroupCommit;
import dev.onhand.platform.deadletter.MessageDeadLettered;
import dev.onhand.platform.deadletter.OperationalExceptions;
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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

/**
 * The consuming side of at-least-once delivery. Each message's id is recorded in the transaction of
 * its effect, so a redelivered message changes nothing; the message is acked only after that
 * transaction commits. A failing message is retried a bounded number of times (counted in the
 * database, whatever the broker counts), then rejected to its dead-letter queue, counted in {@code
 * onhand.messages.dead_lettered} and raised as a MESSAGE_DEAD_LETTERED operational exception
 * (replayable through {@code dev.onhand.platform.deadletter}).
 */
@ApplicationScoped
public class Inbox {
  private static final Logger LOG = Logger.getLogger(Inbox.class);
  private static final String CLAIM =
      "INSERT INTO inbox (consumer, message_id, type) VALUES ($1, $2, $3)"
          + " ON CONFLICT DO NOTHING";
  private static final String CLAIM_ALL =
      "INSERT INTO inbox (consumer, message_id, type) SELECT $1, m.id, m.type"
          + " FROM unnest($2::text[], $3::text[]) AS m(id, type) ON CONFLICT DO NOTHING"
          + " RETURNING message_id";
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
  private final OperationalExceptions exceptions;
  private final int maxAttempts;
  private final Duration firstBackoff;
  private final Duration outageMaxWait;
  private final Duration outageMaxBackoff;
  private final int maxBatch;
  private final Map<String, GroupCommit<Delivery, Boolean>> batches = new ConcurrentHashMap<>();

  public Inbox(
      Transactions transactions,
      Pool pool,
      ObjectMapper mapper,
      MeterRegistry registry,
      OperationalExceptions exceptions,
      @ConfigProperty(name = "onhand.inbox.max-attempts", defaultValue = "5") int maxAttempts,
      @ConfigProperty(name = "onhand.inbox.first-backoff", defaultValue = "PT0.1S")
          Duration firstBackoff,
      @ConfigProperty(name = "onhand.inbox.outage-max-wait", defaultValue = "PT10M")
          Duration outageMaxWait,
      @ConfigProperty(name = "onhand.inbox.outage-max-backoff", defaultValue = "PT5S")
          Duration outageMaxBackoff,
      @ConfigProperty(name = "onhand.inbox.max-batch", defaultValue = "64") int maxBatch) {
    this.transactions = transactions;
    this.pool = pool;
    this.mapper = mapper;
    this.registry = registry;
    this.exceptions = exceptions;
    this.maxAttempts = maxAttempts;
    this.firstBackoff = firstBackoff;
    this.outageMaxWait = outageMaxWait;
    this.outageMaxBackoff = outageMaxBackoff;
    this.maxBatch = maxBatch;
  }

  /** Applies the message once, then acks; never fails the returned Uni. */
  public Uni<Void> consume(String consumer, Message<?> message, MessageHandler handler) {
    return read(consumer, message, delivery -> consumeOne(consumer, delivery, handler));
  }

  /**
   * Like {@link #consume}, for a busy queue: messages delivered while the consumer's transaction is
   * in flight are applied together in its next one, in delivery order, and acked once it commits
   * (up to {@code onhand.inbox.max-batch}; the broker's prefetch bounds how many wait). One
   * transaction, one commit flush and one claim statement then serve many messages, which is what
   * lets a queue keep up when the machine's CPU, not the broker, is the limit. One batch at a time
   * per consumer; the handler gets the batch's new messages in delivery order ({@link
   * MessageBatchHandler#inOrder} applies them one after another, each seeing what the earlier ones
   * wrote). A batch that fails as a whole is applied again message by message through {@link
   * #consume}'s path, so one bad message still retries, is refused or is dead-lettered alone.
   * Returns as soon as the message is queued for its batch; a consumer uses one handler throughout.
   */
  public Uni<Void> consumeInBatches(
      String consumer, Message<?> message, MessageBatchHandler handler) {
    return read(
        consumer,
        message,
        delivery -> {
          batches
              .computeIfAbsent(
                  consumer,
                  c ->
                      new GroupCommit<Delivery, Boolean>(
                          1, maxBatch, d -> 0, batch -> applyBatch(c, batch, handler)))
              .submit(delivery)
              .subscribe()
              .with(
                  applied -> {},
                  failure ->
                      LOG.errorf(
                          "%s: message %s left unacked: %s",
                          consumer, delivery.envelope().id(), failure));
          return Uni.createFrom().voidItem();
        });
  }

  /** A delivery whose envelope could be read. */
  private record Delivery(Message<?> message, Envelope envelope, String raw) {}

  /** Reads the envelope, dead-lettering a message that can never be applied. */
  private Uni<Void> read(
      String consumer, Message<?> message, Function<Delivery, Uni<Void>> applyDelivery) {
    String raw = payloadText(message.getPayload());
    Envelope envelope;
    try {
      envelope = mapper.readValue(raw, Envelope.class);
    } catch (Exception e) {
      return deadLetter(consumer, message, fallbackId(brokerMessageId(message), raw), null, raw, e);
    }
    String contractBreach = breach(envelope);
    if (contractBreach != null) {
      String id = envelope.id() == null ? fallbackId(brokerMessageId(message), raw) : envelope.id();
      return deadLetter(
          consumer, message, id, envelope.type(), raw, new PermanentMessageFailure(contractBreach));
    }
    return applyDelivery.apply(new Delivery(message, envelope, raw));
  }

  private Uni<Void> consumeOne(String consumer, Delivery delivery, MessageHandler handler) {
    Message<?> message = delivery.message();
    Envelope envelope = delivery.envelope();
    return throughOutages(
            consumer, envelope, handler, System.nanoTime() + outageMaxWait.toNanos(), firstBackoff)
        .chain(() -> Uni.createFrom().completionStage(message::ack))
        .invoke(
            () -> registry.counter("onhand.messages.consumed", "consumer", consumer).increment())
        .onFailure()
        .recoverWithUni(failure -> failed(consumer, message, envelope, delivery.raw(), failure));
  }

  /**
   * One batch in one transaction, then every message acked; a single message (or each message of a
   * batch that failed, which {@link GroupCommit} hands back one by one) takes the full path of
   * {@link #consume}.
   */
  private Uni<List<Boolean>> applyBatch(
      String consumer, List<Delivery> batch, MessageBatchHandler handler) {
    List<Boolean> done = Collections.nCopies(batch.size(), Boolean.TRUE);
    if (batch.size() == 1) {
      return consumeOne(
              consumer,
              batch.get(0),
              (unit, envelope) -> handler.handleAll(unit, List.of(envelope)))
          .replaceWith(done);
    }
    return transactions
        .run(
            unit ->
                claimAll(unit, consumer, batch)
                    .chain(fresh -> applyFresh(unit, consumer, batch, fresh, handler)))
        .chain(
            () ->
                Uni.join()
                    .all(
                        batch.stream()
                            .map(d -> Uni.createFrom().completionStage(d.message()::ack))
                            .toList())
                    .andFailFast())
        .invoke(
            () -> {
              registry
                  .counter("onhand.messages.consumed", "consumer", consumer)
                  .increment(done.size());
              registry.summary("onhand.inbox.batch.size", "consumer", consumer).record(done.size());
            })
        .replaceWith(done);
  }

  /** The handler's work on the messages not processed before, each once. */
  private Uni<Void> applyFresh(
      UnitOfWork unit,
      String consumer,
      List<Delivery> batch,
      Set<String> fresh,
      MessageBatchHandler handler) {
    List<Envelope> envelopes = new ArrayList<>();
    for (Delivery delivery : batch) {
      // a message delivered twice within the batch is applied at its first delivery
      if (fresh.remove(delivery.envelope().id())) {
        envelopes.add(delivery.envelope());
      } else {
        registry.counter("onhand.messages.duplicates", "consumer", consumer).increment();
      }
    }
    return envelopes.isEmpty() ? Uni.createFrom().voidItem() : handler.handleAll(unit, envelopes);
  }

  /** Records every message of the batch as processed; returns the ids not processed before. */
  private Uni<Set<String>> claimAll(UnitOfWork unit, String consumer, List<Delivery> batch) {
    String[] ids = batch.stream().map(d -> d.envelope().id()).toArray(String[]::new);
    String[] types = batch.stream().map(d -> d.envelope().type()).toArray(String[]::new);
    return unit.sql()
        .preparedQuery(CLAIM_ALL)
        .execute(Tuple.of(consumer, ids, types))
        .map(
            rows -> {
              Set<String> fresh = new HashSet<>();
              rows.forEach(row -> fresh.add(row.getString(0)));
              return fresh;
            });
  }

  /** One attempt: the handler's work and the message's inbox record in one transaction. */
  private Uni<Void> apply(String consumer, Envelope envelope, MessageHandler handler) {
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
            rejection -> recordRejection(consumer, envelope, (MessageRejection) rejection));
  }

  /**
   * Applies the message, waiting out a database outage: when an attempt fails and the database does
   * not answer, the message is held (not nacked, so the broker neither redelivers it nor counts a
   * delivery towards its dead-letter limit) and tried again once the database is back, for at most
   * {@code onhand.inbox.outage-max-wait}. A failure while the database answers is the message's own
   * and goes to the bounded retries.
   */
  private Uni<Void> throughOutages(
      String consumer, Envelope envelope, MessageHandler handler, long deadline, Duration wait) {
    return apply(consumer, envelope, handler)
        .onFailure(failure -> !(failure instanceof PermanentMessageFailure))
        .recoverWithUni(
            failure ->
                databaseAnswers()
                    .chain(
                        answers -> {
                          if (answers || System.nanoTime() - deadline > 0) {
                            return Uni.createFrom().failure(failure);
                          }
                          registry
                              .counter("onhand.messages.held_for_database", "consumer", consumer)
                              .increment();
                          LOG.warnf(
                              "%s: the database does not answer; holding message %s (%s) for %d"
                                  + " ms",
                              consumer, envelope.id(), envelope.type(), wait.toMillis());
                          Duration next = wait.multipliedBy(2);
                          return Uni.createFrom()
                              .voidItem()
                              .onItem()
                              .delayIt()
                              .by(wait)
                              .chain(
                                  () ->
                                      throughOutages(
                                          consumer,
                                          envelope,
                                          handler,
                                          deadline,
                                          next.compareTo(outageMaxBackoff) > 0
                                              ? outageMaxBackoff
                                              : next));
                        }));
  }

  private Uni<Boolean> databaseAnswers() {
    return pool.query("SELECT 1")
        .execute()
        .map(rows -> true)
        .ifNoItem()
        .after(Duration.ofSeconds(2))
        .fail()
        .onFailure()
        .recoverWithItem(false);
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

  /**
   * Marks the message dead and raises its exception in one transaction, then rejects it to the
   * dead-letter queue. When the database is down the message is rejected all the same: the broker
   * keeps it, and the replay call finds it in the dead-letter queue.
   */
  private Uni<Void> deadLetter(
      String consumer, Message<?> message, String id, String type, String raw, Throwable failure) {
    LOG.errorf("%s: dead-lettering message %s (%s): %s", consumer, id, type, failure);
    registry.counter("onhand.messages.dead_lettered", "consumer", consumer).increment();
    return transactions
        .run(
            unit ->
                unit.sql()
                    .preparedQuery(MARK_DEAD)
                    .execute(Tuple.of(consumer, id, type, String.valueOf(failure)).addString(raw))
                    .chain(
                        () ->
                            exceptions.raise(
                                unit,
                                MessageDeadLettered.of(
                                    consumer,
                                    id,
                                    type,
                                    failure,
                                    OffsetDateTime.now(ZoneOffset.UTC)))))
        .onFailure()
        .recoverWithUni(
            e -> {
              LOG.warnf("%s: could not record dead-lettered message %s: %s", consumer, id, e);
              return Uni.createFrom().voidItem();
            })
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

  /**
   * The id the inbox files a message under (its envelope's id, else the broker's message id, else a
   * hash of its body), for finding a dead-lettered message again by its body and properties.
   */
  public String messageId(String raw, String brokerMessageId) {
    try {
      Envelope envelope = mapper.readValue(raw, Envelope.class);
      if (envelope != null && envelope.id() != null) {
        return envelope.id();
      }
    } catch (Exception e) {
      // unreadable: filed under the fallback id, as consume does
    }
    return fallbackId(brokerMessageId, raw);
  }

  private static String brokerMessageId(Message<?> message) {
    return message
        .getMetadata(IncomingRabbitMQMetadata.class)
        .flatMap(IncomingRabbitMQMetadata::getMessageId)
        .orElse(null);
  }

  private static String fallbackId(String brokerMessageId, String raw) {
    return brokerMessageId != null ? brokerMessageId : "sha256:" + sha256(raw);
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
