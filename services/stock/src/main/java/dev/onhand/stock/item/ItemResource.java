package dev.onhand.stock.item;

import dev.onhand.platform.api.Cursor;
import dev.onhand.platform.api.Identifiers;
import dev.onhand.platform.api.Page;
import dev.onhand.platform.idempotency.IdempotencyKeys;
import dev.onhand.platform.problem.ProblemException;
import dev.onhand.stock.messaging.ReferenceData;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

@Path("/api/v1/items")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "items")
public class ItemResource {
  private final ItemRepository repository;
  private final IdempotencyKeys idempotency;
  private final ReferenceData referenceData;

  public ItemResource(
      ItemRepository repository, IdempotencyKeys idempotency, ReferenceData referenceData) {
    this.repository = repository;
    this.idempotency = idempotency;
    this.referenceData = referenceData;
  }

  @PUT
  @Path("/{sku}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Create or update an item")
  @APIResponse(
      responseCode = "201",
      description = "Created",
      content = @Content(schema = @Schema(implementation = Item.class)))
  @APIResponse(
      responseCode = "200",
      description = "Updated",
      content = @Content(schema = @Schema(implementation = Item.class)))
  public Uni<Response> put(
      @RestPath @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String sku,
      @RestHeader(IdempotencyKeys.HEADER) String idempotencyKey,
      @Valid @NotNull ItemRequest body) {
    return idempotency.write(
        idempotencyKey,
        "PUT /items/" + sku,
        body,
        unit ->
            repository
                .upsert(unit.sql(), sku, body)
                // in the write's transaction: a replayed key runs none of this, so publishes
                // nothing
                .invoke(upserted -> referenceData.itemChanged(unit, upserted.item()))
                .map(
                    upserted ->
                        idempotency.response(
                            upserted.created() ? 201 : 200,
                            upserted.item(),
                            upserted.created() ? "/api/v1/items/" + sku : null)));
  }

  @GET
  @Path("/{sku}")
  @Operation(summary = "An item")
  public Uni<Item> get(@RestPath String sku) {
    return repository
        .find(sku)
        .onItem()
        .ifNull()
        .failWith(() -> ProblemException.notFound("ITEM_NOT_FOUND", "No item " + sku + "."));
  }

  @GET
  @Operation(summary = "Items, by SKU, a page at a time")
  public Uni<Page<Item>> list(@RestQuery String after, @RestQuery Integer limit) {
    int size = Cursor.limit(limit);
    var cursor = Cursor.decode(after, 1);
    return repository.list(cursor.isEmpty() ? null : cursor.get(0), size);
  }
}
