package dev.onhand.channelsync.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.onhand.platform.problem.FieldError;
import dev.onhand.platform.problem.ProblemException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Shopify's order JSON (the body of orders/create and orders/cancelled) read as an {@link
 * InboundOrder}: {@code id} is the channel's order id, {@code line_items[].sku} and {@code
 * .quantity} the lines, {@code shipping_address} where it goes, {@code cancel_reason} why it was
 * cancelled. Lines without a SKU (gift cards, tips, custom items) hold no stock and are left out.
 */
final class ShopifyOrders {
  static final String CREATE = "orders/create";
  static final String CANCELLED = "orders/cancelled";

  /** The topics that reach fulfillment; Shopify's other topics are recorded and ignored. */
  static final Map<String, InboundOrder.Kind> TOPICS =
      Map.of(CREATE, InboundOrder.Kind.RECEIVED, CANCELLED, InboundOrder.Kind.CANCELLED);

  private ShopifyOrders() {}

  static InboundOrder read(InboundOrder.Kind kind, JsonNode order) {
    List<FieldError> errors = new ArrayList<>();
    if (!order.isObject()) {
      throw ProblemException.validation(
          List.of(new FieldError("", "INVALID_ORDER", "must be a Shopify order object")));
    }
    String id = InboundOrder.orderId(order.get("id"), "id", errors);
    List<InboundOrder.Line> lines = new ArrayList<>();
    JsonNode shipTo = null;
    String reason = null;
    if (kind == InboundOrder.Kind.RECEIVED) {
      JsonNode items = order.get("line_items");
      if (items == null || !items.isArray()) {
        errors.add(new FieldError("line_items", "INVALID_LINES", "must be an array"));
      } else {
        for (int i = 0; i < items.size(); i++) {
          JsonNode item = items.get(i);
          String field = "line_items[" + i + "]";
          JsonNode sku = item.get("sku");
          if (sku == null || !sku.isTextual() || sku.asText().isBlank()) {
            continue;
          }
          long quantity = InboundOrder.quantity(item.get("quantity"), field + ".quantity", errors);
          lines.add(new InboundOrder.Line(field + ".sku", sku.asText().strip(), quantity));
        }
      }
      JsonNode address = order.get("shipping_address");
      shipTo = address != null && address.isObject() ? address : null;
    } else {
      JsonNode why = order.get("cancel_reason");
      if (why != null && why.isTextual() && !why.asText().isBlank()) {
        reason = truncate(why.asText());
      }
    }
    if (!errors.isEmpty()) {
      throw ProblemException.validation(errors);
    }
    return new InboundOrder(kind, id, lines, shipTo, reason);
  }

  static String truncate(String text) {
    return text.length() <= InboundOrder.MAX_REASON
        ? text
        : text.substring(0, InboundOrder.MAX_REASON);
  }
}
