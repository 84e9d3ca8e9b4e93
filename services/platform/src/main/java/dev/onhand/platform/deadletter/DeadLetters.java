package dev.onhand.platform.deadletter;

import dev.onhand.platform.api.Page;
import dev.onhand.platform.inbox.Inbox;
import dev.onhand.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * The messages a service's inbox dead-lettered: listed from {@code inbox_failure}, and replayed by
 * moving them from the consumer's dead-letter queue back onto its queue with their failure records
 * cleared, so they get their full retries again. Replaying is safe: the inbox applies a message id
 * once, however often it arrives.
 */
@ApplicationScoped
public class DeadLetters {
  private static final Logger LOG = Logger.getLogger(DeadLetters.class);
  private static final Duration DATABASE_WAIT = Duration.ofSeconds(30);

  private final Pool pool;
  private final Inbox inbox;
  private final DeadLetterQueues queues;

  public DeadLetters(Pool pool, Inbox inbox, DeadLetterQueues queues) {
    this.pool = pool;
    this.inbox = inbox;
    this.queues = queues;
  }

  /** 404 unless {@code consumer} is one of this service's queues. */
  public void requireConsumer(String consumer) {
    if (consumer != null && !queues.queues().contains(consumer)) {
      throw ProblemException.notFound(
          "CONSUMER_NOT_FOUND",
          "No consumer " + consumer + " here; consumers are " + queues.queues() + ".");
    }
  }

  /** Dead-lettered messages by first failure, optionally of one consumer, after the cursor. */
  public Uni<Page<DeadLetter>> list(String consumer, List<String> after, int limit) {
    return pool.preparedQuery(
            "SELECT consumer, message_id, type, attempts, last_error, first_failed_at,"
                + " last_failed_at FROM inbox_failure WHERE dead_lettered AND ($1::text IS NULL OR"
                + " consumer = $1) AND ($2::text IS NULL OR (first_failed_at, consumer, message_id)"
                + " > ($2::text::timestamptz, $3::text, $4::text)) ORDER BY first_failed_at,"
                + " consumer, message_id LIMIT $5")
        .execute(
            Tuple.tuple()
                .addString(consumer)
                .addString(after.isEmpty() ? null : after.get(0))
                .addString(after.isEmpty() ? null : after.get(1))
                .addString(after.isEmpty() ? null : after.get(2))
                .addInteger(limit + 1))
        .map(
            rows -> {
              List<DeadLetter> items = new ArrayList<>();
              rows.forEach(row -> items.add(DeadLetter.fromRow(row)));
              return Page.of(
                  items,
                  limit,
                  d -> new String[] {d.firstFailedAt().toString(), d.consumer(), d.messageId()});
            });
  }

  /**
   * Moves the consumer's dead-lettered messages with these ids (all when null) back onto its queue,
   * on a worker thread: the broker client blocks.
   */
  public Uni<ReplayResult> replay(String consumer, List<String> messageIds) {
    requireConsumer(consumer);
    return Uni.createFrom()
        .item(() -> replayBlocking(consumer, messageIds))
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
  }

  private ReplayResult replayBlocking(String consumer, List<String> messageIds) {
    Set<String> wanted = messageIds == null ? null : new LinkedHashSet<>(messageIds);
    // without ids: everything in the dead-letter queue, and the records of what should be there
    Set<String> expected =
        wanted != null
            ? wanted
            : new LinkedHashSet<>(deadIds(consumer).await().atMost(DATABASE_WAIT));
    Set<String> moved = new LinkedHashSet<>();
    int replayed;
    try {
      replayed =
          queues
              .move(
                  consumer,
                  held -> {
                    List<DeadLetterQueues.Held> chosen = new ArrayList<>();
                    for (DeadLetterQueues.Held message : held) {
                      String id =
                          inbox.messageId(
                              new String(message.body(), StandardCharsets.UTF_8),
                              message.properties().getMessageId());
                      if (wanted == null || wanted.contains(id)) {
                        chosen.add(message);
                        moved.add(id);
                      }
                    }
                    // cleared before the messages return, so each gets its full retries again
                    forgetFailures(consumer, moved).await().atMost(DATABASE_WAIT);
                    return chosen;
                  })
              .orElse(0);
    } catch (IOException | TimeoutException e) {
      LOG.warnf("Replaying %s's dead letters: %s", consumer, e);
      throw ProblemException.of(
          503,
          "BROKER_UNAVAILABLE",
          "Service unavailable",
          "RabbitMQ could not be reached or did not confirm; nothing was lost, retry the replay.");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    List<String> notFound = expected.stream().filter(id -> !moved.contains(id)).toList();
    LOG.infof(
        "%s: replayed %d dead-lettered messages; not found: %s", consumer, replayed, notFound);
    return new ReplayResult(replayed, notFound);
  }

  private Uni<List<String>> deadIds(String consumer) {
    return pool.preparedQuery(
            "SELECT message_id FROM inbox_failure WHERE consumer = $1 AND dead_lettered"
                + " ORDER BY first_failed_at, message_id")
        .execute(Tuple.of(consumer))
        .map(
            rows -> {
              List<String> ids = new ArrayList<>();
              rows.forEach(row -> ids.add(row.getString("message_id")));
              return ids;
            });
  }

  private Uni<Void> forgetFailures(String consumer, Set<String> ids) {
    if (ids.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return pool.preparedQuery(
            "DELETE FROM inbox_failure WHERE consumer = $1 AND message_id = ANY($2::text[])")
        .execute(Tuple.tuple().addString(consumer).addArrayOfString(ids.toArray(String[]::new)))
        .replaceWithVoid();
  }
}
