package dev.onhand.stock.inventory;

import dev.onhand.platform.api.Cursor;
import dev.onhand.platform.api.Page;
import dev.onhand.platform.problem.ProblemException;
import dev.onhand.stock.ledger.LedgerEntry;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class InventoryResource {
  private final InventoryRepository inventory;

  public InventoryResource(InventoryRepository inventory) {
    this.inventory = inventory;
  }

  @GET
  @Path("/inventory/{sku}")
  @Tag(name = "inventory")
  @Operation(summary = "A SKU's balances at every location, every state, and their totals")
  public Uni<InventoryView> ofSku(@RestPath String sku) {
    return inventory
        .ofSku(sku)
        .onItem()
        .ifNull()
        .failWith(() -> ProblemException.notFound("ITEM_NOT_FOUND", "No item " + sku + "."))
        .map(locations -> InventoryView.of(sku, locations));
  }

  @GET
  @Path("/inventory")
  @Tag(name = "inventory")
  @Operation(summary = "Balances, optionally of one location, by SKU, a page at a time")
  public Uni<Page<BalanceView>> list(
      @RestQuery String location, @RestQuery String after, @RestQuery Integer limit) {
    int size = Cursor.limit(limit);
    List<String> cursor = Cursor.decode(after, 2);
    String afterSku = cursor.isEmpty() ? "" : cursor.get(0);
    String afterLocation = cursor.isEmpty() ? "" : cursor.get(1);
    String filter = location == null || location.isEmpty() ? null : location;
    return inventory
        .list(filter, afterSku, afterLocation, size)
        .call(
            page ->
                filter == null || !page.items().isEmpty()
                    ? Uni.createFrom().voidItem()
                    : inventory
                        .locationExists(filter)
                        .invoke(
                            exists -> {
                              if (!exists) {
                                throw ProblemException.notFound(
                                    "LOCATION_NOT_FOUND", "No location " + filter + ".");
                              }
                            }));
  }

  @GET
  @Path("/ledger")
  @Tag(name = "ledger")
  @Operation(
      summary = "Ledger entries, append-only, ordered by SKU, location and sequence",
      description = "Filter by sku and/or location; page with the cursor in next.")
  public Uni<Page<LedgerEntry>> ledger(
      @RestQuery String sku,
      @RestQuery String location,
      @RestQuery String after,
      @RestQuery Integer limit) {
    int size = Cursor.limit(limit);
    List<String> cursor = Cursor.decode(after, 3);
    if (!cursor.isEmpty()) {
      try {
        Long.parseLong(cursor.get(2));
      } catch (NumberFormatException e) {
        throw ProblemException.badRequest(
            "INVALID_CURSOR", "The cursor is not one this API issued.");
      }
    }
    return inventory.ledger(blankToNull(sku), blankToNull(location), cursor, size);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
