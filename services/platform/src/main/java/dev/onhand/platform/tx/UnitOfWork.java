package dev.onhand.platform.tx;

import dev.onhand.platform.messaging.Envelope;
import dev.onhand.platform.messaging.TraceHeaders;
import dev.onhand.platform.outbox.OutgoingMessage;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One database transaction and the messages it causes. Messages published here are written to the
 * outbox in the same transaction, just before it commits, so a state change and its messages commit
 * together or not at all.
 */
public final class UnitOfWork {
  private final SqlConnection connection;
  private final List<OutgoingMessage> messages = new ArrayList<>();

  UnitOfWork(SqlConnection connection) {
    this.connection = connection;
  }

  public SqlConnection sql() {
    return connection;
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

  List<OutgoingMessage> messages() {
    synchronized (messages) {
      return List.copyOf(messages);
    }
  }
}
