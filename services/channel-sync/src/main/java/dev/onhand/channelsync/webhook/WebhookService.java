package dev.onhand.channelsync.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onhand.channelsync.adapter.ChannelType;
import dev.onhand.channelsync.adapter.webhook.WebhookAdapter;
import dev.onhand.channelsync.channel.Channel;
import dev.onhand.channelsync.channel.ChannelRepository;
import dev.onhand.channelsync.channel.ChannelService;
import dev.onhand.channelsync.channel.CredentialReferences;
import dev.onhand.platform.messaging.Envelope;
import dev.onhand.platform.problem.ProblemException;
import dev.onhand.platform.tx.Transactions;
import dev.onhand.platform.tx.UnitOfWork;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Inbound order webhooks: verified (the channel's signature over the raw body, sent inside the
 * replay window) before anything is read, then recorded and passed on to fulfillment as {@code
 * channel-sync.order.received} or {@code channel-sync.order.cancelled} through the outbox, in one
 * transaction. A delivery id seen before, or an order (or cancellation) published before under
 * another delivery id, publishes nothing. A cancellation that comes before its order is passed on
 * as it is: fulfillment keeps it until the order arrives.
 */
@ApplicationScoped
public class WebhookService {
  private static final Logger LOG = Logger.getLogger(WebhookService.class);

  /** The credential holding the key of Shopify's X-Shopify-Hmac-Sha256 (the app's secret). */
  public static final String SHOPIFY_SECRET = "webhookSecret";

  private final ChannelRepository channels;
  private final CredentialReferences credentials;
  private final Transactions transactions;
  private final Pool pool;
  private final ObjectMapper mapper;
  private final Duration window;
  private final int maxBodyBytes;

  public WebhookService(
      ChannelRepository channels,
      CredentialReferences credentials,
      Transactions transactions,
      Pool pool,
      ObjectMapper mapper,
      @ConfigProperty(name = "onhand.channel-sync.webhooks.window", defaultValue = "PT5M")
          Duration window,
      @ConfigProperty(name = "onhand.channel-sync.webhooks.max-body-bytes", defaultValue = "262144")
          int maxBodyBytes) {
    this.channels = channels;
    this.credentials = credentials;
    this.transactions = transactions;
    this.pool = pool;
    this.mapper = mapper;
    this.window = window;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** The headers of a Shopify webhook that channel-sync reads. */
  public record ShopifyDelivery(String hmac, String topic, String webhookId, String triggeredAt) {}

  /** The headers of a generic order webhook. */
  public record GenericDelivery(String signature, String timestamp, String deliveryId) {}

  public Uni<WebhookReceipt> shopify(String code, ShopifyDelivery delivery, byte[] body) {
    return channel(code, ChannelType.SHOPIFY, body)
        .chain(
            channel -> {
              String secret = secret(channel, SHOPIFY_SECRET);
              if (!WebhookSignatures.shopify(secret, body, delivery.hmac())) {
                throw signatureInvalid(WebhookSignatures.SHOPIFY_HEADER);
              }
              requireInWindow(shopifyTime(delivery.triggeredAt()), "X-Shopify-Triggered-At");
              String deliveryId = deliveryId(delivery.webhookId(), "X-Shopify-Webhook-Id");
              String topic = delivery.topic() == null ? "" : delivery.topic();
              JsonNode json = parse(body);
              InboundOrder.Kind kind = ShopifyOrders.TOPICS.get(topic);
              InboundOrder order = kind == null ? null : ShopifyOrders.read(kind, json);
              return record(channel, deliveryId, topic, order, true);
            });
  }

  public Uni<WebhookReceipt> generic(String code, GenericDelivery delivery, byte[] body) {
    return channel(code, ChannelType.GENERIC_WEBHOOK, body)
        .chain(
            channel -> {
              String secret = secret(channel, WebhookAdapter.SECRET);
              if (!WebhookSignatures.generic(
                  secret, delivery.timestamp(), body, delivery.signature())) {
                throw signatureInvalid("X-Onhand-Signature");
              }
              requireInWindow(epochSeconds(delivery.timestamp()), "X-Onhand-Timestamp");
              String deliveryId = deliveryId(delivery.deliveryId(), "X-Onhand-Delivery");
              InboundOrder order = GenericOrders.read(parse(body));
              return record(channel, deliveryId, GenericOrders.type(order.kind()), order, false);
            });
  }

  private Uni<Channel> channel(String code, ChannelType type, byte[] body) {
    // the gateway limits webhook bodies too; this holds when something else forwards them
    if (body.length > maxBodyBytes) {
      throw ProblemException.of(
          413,
          "PAYLOAD_TOO_LARGE",
          "Payload too large",
          "A webhook body has at most " + maxBodyBytes + " bytes.");
    }
    return channels
        .find(pool, code)
        .invoke(
            channel -> {
              if (channel == null || channel.type() != type) {
                throw ProblemException.notFound(
                    "CHANNEL_NOT_FOUND", "No " + type + " channel " + code + ".");
              }
            });
  }

  private String secret(Channel channel, String name) {
    String reference = channel.credentials().get(name);
    try {
      if (reference == null) {
        throw new IllegalStateException("credential " + name + " is not configured");
      }
      return credentials.resolve(channel.code(), Map.of(name, reference)).get(name);
    } catch (CredentialReferences.Unavailable | IllegalStateException e) {
      // the sender retries a 5xx, so a webhook sent while a Secret is being mounted is not lost
      LOG.warnf("webhook of channel %s cannot be verified: %s", channel.code(), e.getMessage());
      throw ProblemException.of(
          503,
          "WEBHOOK_SECRET_UNAVAILABLE",
          "Service unavailable",
          "Channel "
              + channel.code()
              + " has no readable credential "
              + name
              + " to verify its webhooks with.");
    }
  }

  private static ProblemException signatureInvalid(String header) {
    return ProblemException.of(
        401,
        "WEBHOOK_SIGNATURE_INVALID",
        "Unauthorized",
        header + " is missing or does not sign this body with the channel's secret.");
  }

  private void requireInWindow(Instant sentAt, String header) {
    Instant now = Instant.now();
    if (sentAt == null || sentAt.isBefore(now.minus(window)) || sentAt.isAfter(now.plus(window))) {
      throw ProblemException.of(
              401,
              "WEBHOOK_OUTSIDE_WINDOW",
              "Unauthorized",
              header
                  + " is missing, unreadable or more than "
                  + window
                  + " away from now: a replayed or delayed delivery is not accepted.")
          .with("window", window.toString());
    }
  }

  private static Instant shopifyTime(String value) {
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value.strip()).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Instant epochSeconds(String value) {
    if (value == null || !value.matches("[0-9]{1,12}")) {
      return null;
    }
    return Instant.ofEpochSecond(Long.parseLong(value));
  }

  private static String deliveryId(String value, String header) {
    if (value == null || value.isBlank() || value.length() > 200) {
      throw ProblemException.badRequest(
          "WEBHOOK_DELIVERY_ID_MISSING",
          header + " (1 to 200 characters) names the delivery, so a retry is recognised.");
    }
    return value;
  }

  private JsonNode parse(byte[] body) {
    try {
      JsonNode json = mapper.readTree(body);
      if (json == null || json.isMissingNode()) {
        throw new IOException("empty body");
      }
      return json;
    } catch (IOException e) {
      throw ProblemException.badRequest("MALFORMED_JSON", "The webhook body is not valid JSON.");
    }
  }

  /** Records the delivery and, unless it or its order was seen, publishes the order's message. */
  private Uni<WebhookReceipt> record(
      Channel channel, String deliveryId, String topic, InboundOrder order, boolean mapSkus) {
    String code = channel.code();
    return transactions.run(
        unit -> {
          SqlClient sql = unit.sql();
          return sql.preparedQuery(
                  "INSERT INTO webhook_delivery (channel, delivery_id, topic, channel_order_id)"
                      + " VALUES ($1, $2, $3, $4) ON CONFLICT (channel, delivery_id) DO NOTHING"
                      + " RETURNING delivery_id")
              .execute(
                  Tuple.of(code, deliveryId, topic, order == null ? null : order.channelOrderId()))
              .chain(
                  inserted -> {
                    if (inserted.size() == 0) {
                      return Uni.createFrom()
                          .item(
                              new WebhookReceipt(
                                  WebhookReceipt.Outcome.DUPLICATE,
                                  order == null ? null : order.channelOrderId(),
                                  null));
                    }
                    if (order == null) {
                      return Uni.createFrom()
                          .item(new WebhookReceipt(WebhookReceipt.Outcome.IGNORED, null, null));
                    }
                    return lines(sql, code, order, mapSkus)
                        .chain(lines -> publishOnce(unit, code, deliveryId, order, lines));
                  });
        });
  }

  /**
   * The order's lines in Onhand's SKUs. A Shopify SKU is mapped through the channel's listings: a
   * listing with that SKU is that SKU; otherwise a listing whose listing id is the Shopify SKU
   * stands for its own SKU; otherwise the SKU is passed on as it is (fulfillment dead-letters one
   * stock does not know, for an operator). Refused with 422 WEBHOOK_SKU_UNMAPPED when a SKU is no
   * Onhand identifier and no listing maps it, so the channel's retries can succeed once a listing
   * is added.
   */
  private Uni<List<Map.Entry<String, Long>>> lines(
      SqlClient sql, String code, InboundOrder order, boolean mapSkus) {
    if (order.kind() != InboundOrder.Kind.RECEIVED) {
      return Uni.createFrom().item(List.of());
    }
    if (!mapSkus || order.lines().isEmpty()) {
      return Uni.createFrom().item(InboundOrder.merged(order.lines(), "WEBHOOK_SKU_UNMAPPED"));
    }
    String[] skus = order.lines().stream().map(InboundOrder.Line::sku).toArray(String[]::new);
    return sql.preparedQuery(
            "SELECT sku, listing_id FROM listing WHERE channel = $1 AND (sku = ANY($2) OR"
                + " listing_id = ANY($2))")
        .execute(Tuple.of(code, skus))
        .map(
            rows -> {
              Map<String, String> bySku = new HashMap<>();
              Map<String, String> byListingId = new HashMap<>();
              rows.forEach(
                  row -> {
                    bySku.put(row.getString("sku"), row.getString("sku"));
                    byListingId.put(row.getString("listing_id"), row.getString("sku"));
                  });
              List<InboundOrder.Line> mapped = new ArrayList<>();
              for (InboundOrder.Line line : order.lines()) {
                String sku = bySku.getOrDefault(line.sku(), byListingId.get(line.sku()));
                mapped.add(
                    new InboundOrder.Line(
                        line.field(), sku == null ? line.sku() : sku, line.quantity()));
              }
              return InboundOrder.merged(mapped, "WEBHOOK_SKU_UNMAPPED");
            });
  }

  private Uni<WebhookReceipt> publishOnce(
      UnitOfWork unit,
      String code,
      String deliveryId,
      InboundOrder order,
      List<Map.Entry<String, Long>> lines) {
    SqlClient sql = unit.sql();
    String orderId = order.channelOrderId();
    if (order.kind() == InboundOrder.Kind.RECEIVED && lines.isEmpty()) {
      // only lines without a SKU: nothing for fulfillment to fill
      return Uni.createFrom()
          .item(new WebhookReceipt(WebhookReceipt.Outcome.IGNORED, orderId, null));
    }
    Envelope envelope = envelope(code, order, lines);
    return sql.preparedQuery(
            "INSERT INTO webhook_order (channel, channel_order_id, kind, delivery_id, message_id)"
                + " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (channel, channel_order_id, kind) DO"
                + " NOTHING RETURNING message_id")
        .execute(
            Tuple.of(
                code, orderId, order.kind().name(), deliveryId, UUID.fromString(envelope.id())))
        .chain(
            inserted -> {
              boolean first = inserted.size() > 0;
              if (first) {
                unit.publish(envelope, "channel-order:" + code + ":" + orderId);
              }
              WebhookReceipt.Outcome outcome =
                  first ? WebhookReceipt.Outcome.PUBLISHED : WebhookReceipt.Outcome.DUPLICATE_ORDER;
              return sql.preparedQuery(
                      "UPDATE webhook_delivery SET outcome = $3, message_id = $4 WHERE channel ="
                          + " $1 AND delivery_id = $2")
                  .execute(
                      Tuple.of(
                          code,
                          deliveryId,
                          outcome.name(),
                          first ? UUID.fromString(envelope.id()) : null))
                  .map(
                      ignored ->
                          new WebhookReceipt(outcome, orderId, first ? envelope.id() : null));
            });
  }

  private Envelope envelope(String code, InboundOrder order, List<Map.Entry<String, Long>> lines) {
    ObjectNode data = mapper.createObjectNode();
    data.put("channel", code);
    data.put("channelOrderId", order.channelOrderId());
    if (order.kind() == InboundOrder.Kind.RECEIVED) {
      ArrayNode array = data.putArray("lines");
      lines.forEach(
          line -> array.addObject().put("sku", line.getKey()).put("quantity", line.getValue()));
      if (order.shipTo() != null) {
        data.set("shipTo", order.shipTo());
      }
    } else if (order.reason() != null) {
      data.put("reason", order.reason());
    }
    return Envelope.create(
        order.kind().type,
        ChannelService.SOURCE,
        code + ":" + order.channelOrderId(),
        null,
        null,
        data);
  }
}
