package dev.onhand.channelsync.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.onhand.platform.api.Identifiers;
import dev.onhand.platform.problem.FieldError;
import dev.onhand.platform.problem.ProblemException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An order or a cancellation as a channel's webhook sent it, before it is published: {@code lines}
 * hold the channel's SKUs as sent, each with the field it came from (for the problem's errors).
 */
record InboundOrder(
    Kind kind, String channelOrderId, List<Line> lines, JsonNode shipTo, String reason) {

  static final int MAX_ORDER_ID = 100;
  static final int MAX_REASON = 200;
  // the lines of one channel-sync.order.received, as its schema allows
  static final int MAX_LINES = 100;

  /** What the webhook asks fulfillment for, and the message type that asks it. */
  enum Kind {
    RECEIVED("channel-sync.order.received"),
    CANCELLED("channel-sync.order.cancelled");

    final String type;

    Kind(String type) {
      this.type = type;
    }
  }

  record Line(String field, String sku, long quantity) {}

  /** The order's id as the channel's text: a JSON number or non-blank string of ≤100 characters. */
  static String orderId(JsonNode id, String field, List<FieldError> errors) {
    String text = null;
    if (id != null && id.isIntegralNumber()) {
      text = id.asText();
    } else if (id != null && id.isTextual()) {
      text = id.asText();
    }
    if (text == null || text.isBlank() || text.length() > MAX_ORDER_ID) {
      errors.add(
          new FieldError(
              field, "INVALID_ORDER_ID", "must be a number or a text of 1 to 100 characters"));
      return null;
    }
    return text;
  }

  /** A line's quantity: an integer from 1 to {@link Identifiers#MAX_QUANTITY}. */
  static long quantity(JsonNode quantity, String field, List<FieldError> errors) {
    if (quantity == null
        || !quantity.canConvertToLong()
        || !quantity.isIntegralNumber()
        || quantity.asLong() < 1
        || quantity.asLong() > Identifiers.MAX_QUANTITY) {
      errors.add(
          new FieldError(
              field,
              "INVALID_QUANTITY",
              "must be an integer from 1 to " + Identifiers.MAX_QUANTITY));
      return 0;
    }
    return quantity.asLong();
  }

  /**
   * The lines as {@code channel-sync.order.received} carries them: one per Onhand SKU (a SKU sent
   * on several lines is summed), each SKU an identifier; refused with 422 {@code code} otherwise.
   */
  static List<Map.Entry<String, Long>> merged(List<Line> lines, String code) {
    List<FieldError> errors = new ArrayList<>();
    Map<String, Long> bySku = new LinkedHashMap<>();
    for (Line line : lines) {
      if (!line.sku().matches(Identifiers.PATTERN)) {
        errors.add(
            new FieldError(
                line.field(),
                code,
                "is not an Onhand SKU, and no listing of the channel has it as SKU or listing id"));
        continue;
      }
      bySku.merge(line.sku(), line.quantity(), Long::sum);
    }
    if (!errors.isEmpty()) {
      throw ProblemException.unprocessable(
              code, "Some lines name no Onhand SKU; nothing was recorded.")
          .withErrors(errors);
    }
    if (bySku.size() > MAX_LINES) {
      throw ProblemException.unprocessable(
          "TOO_MANY_LINES", "An order has at most " + MAX_LINES + " SKUs; nothing was recorded.");
    }
    List<FieldError> tooMany = new ArrayList<>();
    bySku.forEach(
        (sku, quantity) -> {
          if (quantity > Identifiers.MAX_QUANTITY) {
            tooMany.add(
                new FieldError(
                    "lines",
                    "INVALID_QUANTITY",
                    sku + " adds up to more than " + Identifiers.MAX_QUANTITY));
          }
        });
    if (!tooMany.isEmpty()) {
      throw ProblemException.unprocessable(
              "INVALID_QUANTITY", "A SKU's lines add up to too many units; nothing was recorded.")
          .withErrors(tooMany);
    }
    return new ArrayList<>(bySku.entrySet());
  }
}
