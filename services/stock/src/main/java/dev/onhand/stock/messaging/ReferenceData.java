package dev.onhand.stock.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onhand.platform.messaging.Envelope;
import dev.onhand.platform.tx.UnitOfWork;
import dev.onhand.stock.item.Item;
import dev.onhand.stock.location.Location;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.format.DateTimeFormatter;

/**
 * Stock's reference data as events: every location and item as it is after a create or update, so
 * other services check codes and SKUs without reading stock's tables. Published in the write's own
 * unit of work (the outbox), so an event exists exactly when its change committed.
 */
@ApplicationScoped
public class ReferenceData {
  private final ObjectMapper mapper;

  public ReferenceData(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** {@code stock.location.changed}; its subject is the code. */
  public void locationChanged(UnitOfWork unit, Location location) {
    ObjectNode data = mapper.createObjectNode();
    data.put("code", location.code());
    data.put("name", location.name());
    data.put("type", location.type().name());
    data.put("authoritative", location.authoritative());
    data.put("updatedAt", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(location.updatedAt()));
    unit.publish(
        Envelope.create(
            StockEvents.LOCATION_CHANGED, StockEvents.SOURCE, location.code(), null, null, data),
        "location:" + location.code());
  }

  /** {@code stock.item.changed}; its subject is the SKU. */
  public void itemChanged(UnitOfWork unit, Item item) {
    ObjectNode data = mapper.createObjectNode();
    data.put("sku", item.sku());
    data.put("name", item.name());
    data.put("unitCost", item.unitCost());
    data.put("lowStockThreshold", item.lowStockThreshold());
    data.put("updatedAt", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(item.updatedAt()));
    unit.publish(
        Envelope.create(StockEvents.ITEM_CHANGED, StockEvents.SOURCE, item.sku(), null, null, data),
        "item:" + item.sku());
  }
}
