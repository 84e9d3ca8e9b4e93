package dev.onhand.platform.tx;

import dev.onhand.platform.messaging.Envelope;
import dev.onhand.platform.messaging.TraceHeaders;
import dev.onhand.platform.outbox.OutgoingMessage;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One database transaction and the messages it causes. Messages published here are written to the
 * outbox in the same transaction, just before it commits, so a state change and its messages commit
 * together or not at all.
 */
public final class UnitOfWork {
  private static final Logger LOG = Logger.getLogger(UnitOfWork.class);
  private final SqlConnection connection;
  private final int attempt;
  private final List<OutgoingMessage> messages = new ArrayList<>();
  private final List<Supplier<Uni<Void>>> lastSteps = new ArrayList<>();
  private final List<Future<?>> sent = new ArrayList<>();
  private final List<Runnable> afterCommit = new ArrayList<>();

  UnitOfWork(SqlConnection connection, int attempt) {
    this.connection = connection;
    this.attempt = attempt;
  }

  public SqlConnection sql() {
    return connection;
  }

  /**
   * Sends a write whose result nothing reads, without waiting for its answer. The connection runs
   * statements in the order they were sent, so every statement sent after it sees it; the commit
   * follows the last of them, and the transaction fails with the first that failed. Writes sent one
   * after another travel together (pipelining): one round trip to the database instead of one each,
   * which shortens the time a transaction holds its row locks.
   */
  public void send(String statement, Tuple arguments) {
    send(statement, arguments, Function.identity());
  }

  /**
   * {@link #send(String, Tuple) Sends} a write whose failure means something to the caller: the
   * transaction fails with {@code meaning} applied to it (e.g. a {@link StaleRead}, to run again).
   */
  public void send(
      String statement, Tuple arguments, Function<Throwable, ? extends Throwable> meaning) {
    Future<?> answer =
        connection
            .getDelegate()
            .preparedQuery(statement)
            .execute(arguments.getDelegate())
            .recover(failure -> Future.failedFuture(meaning.apply(failure)));
    synchronized (sent) {
      sent.add(answer);
    }
  }

  /**
   * The cause to report for a failed transaction: a sent write that failed comes first, since every
   * statement after it failed only because the transaction was already aborted.
   */
  Throwable cause(Throwable failure) {
    synchronized (sent) {
      for (Future<?> write : sent) {
        if (write.failed()) {
          return write.cause();
        }
      }
    }
    return failure;
  }

  /**
   * 1 for the first run of the transaction, 2 after it was rolled back and run again (deadlock,
   * serialization failure, {@link StaleRead}), and so on.
   */
  public int attempt() {
    return attempt;
  }

  /**
   * A step run after the work, just before the outbox rows and the commit, in the order given. A
   * write to a row many transactions contend for goes here: its row lock is then held only for the
   * few statements up to the commit instead of for the whole transaction.
   */
  public void last(Supplier<Uni<Void>> step) {
    synchronized (lastSteps) {
      lastSteps.add(step);
    }
  }

  Uni<Void> runLastSteps() {
    List<Supplier<Uni<Void>>> steps;
    synchronized (lastSteps) {
      steps = List.copyOf(lastSteps);
    }
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (Supplier<Uni<Void>> step : steps) {
      chain = chain.chain(() -> step.get());
    }
    return chain;
  }

  /** Publishes with the trace context of the calling thread. */
  public void publish(Envelope envelope, String aggregate) {
    publish(envelope, aggregate, TraceHeaders.current());
  }

  /** Publishes with trace context captured earlier (e.g. when a request joined a group commit). */
  public void publish(Envelope envelope, String aggregate, Map<String, String> traceHeaders) {
    synchronized (messages) {
      messages.add(new OutgoingMessage(envelope, aggregate, traceHeaders));
    }
  }

  /**
   * An action run once this transaction has committed, never if it rolls back: e.g. waking a worker
   * that reads what the transaction wrote, so it need not wait for its next poll.
   */
  public void afterCommit(Runnable action) {
    synchronized (afterCommit) {
      afterCommit.add(action);
    }
  }

  void committed() {
    List<Runnable> actions;
    synchronized (afterCommit) {
      actions = List.copyOf(afterCommit);
    }
    for (Runnable action : actions) {
      try {
        action.run();
      } catch (RuntimeException e) {
        // the transaction stands: a failed action must not make its caller think otherwise
        LOG.warnf("an action after commit failed: %s", e.toString());
      }
    }
  }

  List<OutgoingMessage> messages() {
    synchronized (messages) {
      return List.copyOf(messages);
    }
  }
}
