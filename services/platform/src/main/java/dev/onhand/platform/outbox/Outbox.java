package dev.onhand.platform.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onhand.platform.tx.UnitOfWork;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Writes messages into the outbox table in the caller's transaction. */
@ApplicationScoped
public class Outbox {
  private static final String INSERT =
      "INSERT INTO outbox (message_id, type, routing_key, aggregate, headers, payload) "
          + "SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[],"
          + " $6::text[])";

  private final ObjectMapper mapper;

  public Outbox(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** Sends the insert down the unit's connection; the unit's commit waits for it. */
  public void append(UnitOfWork unit, List<OutgoingMessage> messages) {
    if (messages.isEmpty()) {
      return;
    }
    int n = messages.size();
    UUID[] ids = new UUID[n];
    String[] types = new String[n];
    String[] routingKeys = new String[n];
    String[] aggregates = new String[n];
    String[] headers = new String[n];
    String[] payloads = new String[n];
    try {
      for (int i = 0; i < n; i++) {
        OutgoingMessage message = messages.get(i);
        ids[i] = UUID.fromString(message.envelope().id());
        types[i] = message.envelope().type();
        routingKeys[i] = message.envelope().routingKey();
        aggregates[i] = message.aggregate();
        headers[i] = mapper.writeValueAsString(message.headers());
        payloads[i] = mapper.writeValueAsString(message.envelope());
      }
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize an outgoing message", e);
    }
    unit.send(INSERT, Tuple.of(ids, types, routingKeys, aggregates, headers, payloads));
  }
}
