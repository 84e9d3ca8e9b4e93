package dev.onhand.platform.testing;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Envelopes as other services send them. */
public final class Messages {
  private Messages() {}

  public static Map<String, Object> envelope(String type, String source, Object data) {
    Map<String, Object> envelope = new LinkedHashMap<>();
    envelope.put("specversion", "1.0");
    envelope.put("id", UUID.randomUUID().toString());
    envelope.put("type", type);
    envelope.put("source", source);
    envelope.put("time", Instant.now().toString());
    envelope.put("datacontenttype", "application/json");
    envelope.put("schemaversion", 1);
    envelope.put("data", data);
    return envelope;
  }

  public static Map<String, Object> withCorrelation(Map<String, Object> envelope, String id) {
    envelope.put("correlationid", id);
    return envelope;
  }
}
