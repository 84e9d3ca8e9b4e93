package dev.onhand.platform.messaging;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * Every Onhand message: a CloudEvents-shaped JSON envelope (structured mode). The routing key is
 * the {@code type}; {@code subject} names what changed (for inventory, {@code SKU@LOCATION});
 * {@code sequence} is the per-(SKU, location) sequence of inventory events so a consumer can drop
 * stale ones; {@code correlationid} ties a reply to its request.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
// other CloudEvents attributes a producer may add (dataschema, extensions) are not ours to refuse
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({
  "specversion",
  "id",
  "type",
  "source",
  "time",
  "subject",
  "datacontenttype",
  "schemaversion",
  "sequence",
  "correlationid",
  "data"
})
public record Envelope(
    @JsonProperty("id") String id,
    @JsonProperty("type") String type,
    @JsonProperty("source") String source,
    @JsonProperty("time") Instant time,
    @JsonProperty("subject") String subject,
    @JsonProperty("schemaversion") int schemaVersion,
    @JsonProperty("sequence") Long sequence,
    @JsonProperty("correlationid") String correlationId,
    @JsonProperty("data") JsonNode data) {

  public static final String SPEC_VERSION = "1.0";
  public static final String CONTENT_TYPE = "application/cloudevents+json";

  @JsonProperty("specversion")
  public String specVersion() {
    return SPEC_VERSION;
  }

  @JsonProperty("datacontenttype")
  public String dataContentType() {
    return "application/json";
  }

  /** A new message with a fresh id, stamped now. */
  public static Envelope create(
      String type,
      String source,
      String subject,
      Long sequence,
      String correlationId,
      JsonNode data) {
    return new Envelope(
        UUID.randomUUID().toString(),
        type,
        source,
        Instant.now(),
        subject,
        1,
        sequence,
        correlationId,
        data);
  }

  /** The routing key a message is published with: its type. */
  @JsonIgnore
  public String routingKey() {
    return type;
  }
}
