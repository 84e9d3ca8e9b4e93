package dev.onhand.channelsync.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.onhand.platform.api.Identifiers;
import dev.onhand.platform.problem.FieldError;
import dev.onhand.platform.problem.ProblemException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The body of a generic order webhook, Onhand's own format: {@code {type: "order.created" |
 * "order.cancelled", orderId, lines: [{sku, quantity}], shipTo?, reason?}}. SKUs are Onhand's. Read
 * strictly, like every Onhand request: an unknown field is refused, not guessed at.
 */
final class GenericOrders {
  static final Map<String, InboundOrder.Kind> TYPES =
      Map.of(
          "order.created", InboundOrder.Kind.RECEIVED,
          "order.cancelled", InboundOrder.Kind.CANCELLED);
  private static final Set<String> FIELDS = Set.of("type", "orderId", "lines", "shipTo", "reason");

  private GenericOrders() {}

  /** The body's {@code type} that asks for {@code kind}, as the delivery is recorded. */
  static String type(InboundOrder.Kind kind) {
    return kind == InboundOrder.Kind.RECEIVED ? "order.created" : "order.cancelled";
  }

  static InboundOrder read(JsonNode body) {
    if (!body.isObject()) {
      throw ProblemException.validation(
          List.of(new FieldError("", "INVALID_ORDER", "must be a JSON object")));
    }
    List<FieldError> errors = new ArrayList<>();
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        errors.add(new FieldError(name, "UNKNOWN_FIELD", "is not a field of an order webhook"));
      }
    }
    JsonNode type = body.get("type");
    InboundOrder.Kind kind = type != null && type.isTextual() ? TYPES.get(type.asText()) : null;
    if (kind == null) {
      errors.add(
          new FieldError("type", "INVALID_TYPE", "must be order.created or order.cancelled"));
    }
    String id = InboundOrder.orderId(body.get("orderId"), "orderId", errors);
    List<InboundOrder.Line> lines = new ArrayList<>();
    JsonNode items = body.get("lines");
    if (kind == InboundOrder.Kind.RECEIVED
        && (items == null || !items.isArray() || items.isEmpty())) {
      errors.add(new FieldError("lines", "INVALID_LINES", "must be an array of 1 or more lines"));
    } else if (items != null && items.isArray()) {
      for (int i = 0; i < items.size(); i++) {
        String field = "lines[" + i + "]";
        JsonNode sku = items.get(i).get("sku");
        if (sku == null || !sku.isTextual() || !sku.asText().matches(Identifiers.PATTERN)) {
          errors.add(new FieldError(field + ".sku", "INVALID_SKU", Identifiers.MESSAGE));
        }
        long quantity =
            InboundOrder.quantity(items.get(i).get("quantity"), field + ".quantity", errors);
        if (sku != null && sku.isTextual()) {
          lines.add(new InboundOrder.Line(field + ".sku", sku.asText(), quantity));
        }
      }
    } else if (items != null && !items.isNull()) {
      errors.add(new FieldError("lines", "INVALID_LINES", "must be an array"));
    }
    JsonNode shipTo = body.get("shipTo");
    if (shipTo != null && !shipTo.isObject() && !shipTo.isNull()) {
      errors.add(new FieldError("shipTo", "INVALID_SHIP_TO", "must be an object"));
    }
    JsonNode reason = body.get("reason");
    if (reason != null
        && !reason.isNull()
        && (!reason.isTextual() || reason.asText().length() > InboundOrder.MAX_REASON)) {
      errors.add(
          new FieldError("reason", "INVALID_REASON", "must be a text of at most 200 characters"));
    }
    if (!errors.isEmpty()) {
      throw ProblemException.validation(errors);
    }
    return new InboundOrder(
        kind,
        id,
        lines,
        shipTo != null && shipTo.isObject() ? shipTo : null,
        reason != null && reason.isTextual() && !reason.asText().isBlank()
            ? reason.asText()
            : null);
  }
}
