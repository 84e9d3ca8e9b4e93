package dev.onhand.channelsync.channel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onhand.channelsync.sellable.ChannelQuantities;
import dev.onhand.platform.messaging.Envelope;
import dev.onhand.platform.problem.FieldError;
import dev.onhand.platform.problem.ProblemException;
import dev.onhand.platform.reference.StockReferences;
import dev.onhand.platform.tx.UnitOfWork;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Channels and listings: validates them, stores them, announces a channel's configuration as {@code
 * channel-sync.channel.changed} (fulfillment allocates the channel's orders from its locations) and
 * records the new sellable quantities their change causes, all in the write's transaction.
 */
@ApplicationScoped
public class ChannelService {
  public static final String CHANNEL_CHANGED = "channel-sync.channel.changed";
  public static final String SOURCE = "onhand/channel-sync";

  private final ChannelRepository channels;
  private final StockReferences references;
  private final ChannelQuantities quantities;
  private final ObjectMapper mapper;

  public ChannelService(
      ChannelRepository channels,
      StockReferences references,
      ChannelQuantities quantities,
      ObjectMapper mapper) {
    this.channels = channels;
    this.references = references;
    this.quantities = quantities;
    this.mapper = mapper;
  }

  public record Written<T>(T value, boolean created) {}

  /** Creates or replaces a channel; a PUT that changes nothing writes and announces nothing. */
  public Uni<Written<Channel>> put(UnitOfWork unit, String code, ChannelRequest request) {
    Channel.Normalized wanted = Channel.Normalized.of(request);
    validate(wanted);
    SqlClient sql = unit.sql();
    return requireKnownLocations(sql, wanted.eligibleLocations())
        .chain(() -> channels.lock(sql, code))
        .chain(
            existing -> {
              if (existing != null && existing.type() != wanted.type()) {
                throw ProblemException.conflict(
                        "CHANNEL_TYPE_CHANGED",
                        "Channel "
                            + code
                            + " is a "
                            + existing.type()
                            + " channel; its listing ids mean nothing to another type. Create a"
                            + " new channel instead.")
                    .with("channelType", existing.type().name());
              }
              if (existing != null && existing.sameAs(wanted)) {
                return Uni.createFrom().item(new Written<>(existing, false));
              }
              boolean force = existing != null && existing.destinationChanged(wanted);
              return channels
                  .upsert(sql, code, wanted)
                  .call(written -> quantities.channelChanged(sql, code, written.updatedAt(), force))
                  .invoke(written -> announce(unit, written))
                  .map(written -> new Written<>(written, existing == null));
            });
  }

  /** {@code channel-sync.channel.changed}: where the channel's orders may be filled from. */
  private void announce(UnitOfWork unit, Channel channel) {
    ObjectNode data = mapper.createObjectNode();
    data.put("code", channel.code());
    data.put("type", channel.type().name());
    var locations = data.putArray("eligibleLocations");
    channel.eligibleLocations().forEach(locations::add);
    data.put("allowSplit", channel.allowSplit());
    data.put(
        "updatedAt",
        DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
            channel.updatedAt().withOffsetSameInstant(ZoneOffset.UTC)));
    unit.publish(
        Envelope.create(CHANNEL_CHANGED, SOURCE, channel.code(), null, null, data),
        "channel:" + channel.code());
  }

  private static void validate(Channel.Normalized channel) {
    List<FieldError> shape = new ArrayList<>();
    if (!httpUrl(channel.endpoint())) {
      shape.add(
          new FieldError(
              "endpoint", "INVALID_ENDPOINT", "must be an absolute http or https URL with a host"));
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < channel.eligibleLocations().size(); i++) {
      if (!seen.add(channel.eligibleLocations().get(i))) {
        shape.add(
            new FieldError("eligibleLocations[" + i + "]", "DUPLICATE_LOCATION", "is named twice"));
      }
    }
    names("credentials", channel.credentials(), shape);
    names("settings", channel.settings(), shape);
    if (!shape.isEmpty()) {
      throw ProblemException.validation(shape);
    }
    List<FieldError> references = new ArrayList<>();
    channel
        .credentials()
        .forEach(
            (name, reference) -> {
              if (!CredentialReferences.valid(reference)) {
                references.add(
                    new FieldError(
                        "credentials." + name,
                        "INVALID_CREDENTIAL_REFERENCE",
                        "must be a reference, " + CredentialReferences.FORMS + ", not a value"));
              }
            });
    if (!references.isEmpty()) {
      throw ProblemException.unprocessable(
              "INVALID_CREDENTIAL_REFERENCE",
              "Credentials are given by reference ("
                  + CredentialReferences.FORMS
                  + "); their values are never stored.")
          .withErrors(references);
    }
    List<FieldError> missing = new ArrayList<>();
    missing.addAll(ChannelRequirements.credentials(channel.type(), channel.credentials()));
    missing.addAll(ChannelRequirements.settings(channel.type(), channel.settings()));
    if (!missing.isEmpty()) {
      throw ProblemException.unprocessable(
              missing.get(0).code(),
              "A " + channel.type() + " channel needs settings and credentials it lacks.")
          .withErrors(missing);
    }
  }

  private static void names(String field, Map<String, String> map, List<FieldError> errors) {
    for (String name : map.keySet()) {
      if (!ChannelRequirements.NAME.matcher(name).matches()) {
        errors.add(
            new FieldError(
                field + "." + name,
                "INVALID_NAME",
                "must be 1 to 64 letters, digits, '_', '.' or '-', starting with a letter"));
      }
    }
  }

  private static boolean httpUrl(String endpoint) {
    try {
      URI uri = new URI(endpoint);
      return uri.isAbsolute()
          && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
          && uri.getHost() != null
          && uri.getUserInfo() == null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private Uni<Void> requireKnownLocations(SqlClient sql, List<String> locations) {
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (int i = 0; i < locations.size(); i++) {
      String field = "eligibleLocations[" + i + "]";
      String location = locations.get(i);
      chain = chain.chain(() -> references.requireKnown(sql, field, location, Map.of()));
    }
    return chain;
  }

  // --- listings ---

  private static final String LISTING =
      "SELECT l.*, q.quantity, q.version, q.sent_version, q.sent_quantity, q.sent_at,"
          + " q.dead_lettered_at FROM listing l JOIN channel_quantity q ON q.channel = l.channel"
          + " AND q.sku = l.sku WHERE l.channel = $1 AND l.sku = $2";

  /** Creates or replaces a listing and records the quantity the channel should show for it. */
  public Uni<Written<Listing>> putListing(
      UnitOfWork unit, String code, String sku, ListingRequest request) {
    SqlClient sql = unit.sql();
    return channels
        .lock(sql, code)
        .chain(
            channel -> {
              if (channel == null) {
                throw ProblemException.notFound("CHANNEL_NOT_FOUND", "No channel " + code + ".");
              }
              return references.requireKnown(sql, "location", null, Map.of(sku, "sku"));
            })
        .chain(
            () ->
                sql.preparedQuery(
                        "SELECT sku FROM listing WHERE channel = $1 AND listing_id = $2 AND sku"
                            + " <> $3")
                    .execute(Tuple.of(code, request.listingId(), sku)))
        .invoke(
            taken -> {
              if (taken.size() > 0) {
                throw ProblemException.conflict(
                        "LISTING_ID_TAKEN",
                        "Listing id "
                            + request.listingId()
                            + " already stands for another SKU on channel "
                            + code
                            + ".")
                    .with("sku", taken.iterator().next().getString("sku"));
              }
            })
        .chain(
            () ->
                sql.preparedQuery(
                        "SELECT listing_id FROM listing WHERE channel = $1 AND sku = $2 FOR UPDATE")
                    .execute(Tuple.of(code, sku)))
        .chain(
            before -> {
              String previousId =
                  before.size() == 0 ? null : before.iterator().next().getString("listing_id");
              boolean created = previousId == null;
              // a new listing id is a listing the channel has never been told about
              boolean force = created || !previousId.equals(request.listingId());
              return sql.preparedQuery(
                      "INSERT INTO listing (channel, sku, listing_id, buffer_units, maximum,"
                          + " fixed_quantity) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT"
                          + " (channel, sku) DO UPDATE SET listing_id = excluded.listing_id,"
                          + " buffer_units = excluded.buffer_units, maximum = excluded.maximum,"
                          + " fixed_quantity = excluded.fixed_quantity, updated_at ="
                          + " clock_timestamp()")
                  .execute(
                      Tuple.tuple()
                          .addString(code)
                          .addString(sku)
                          .addString(request.listingId())
                          .addLong(request.bufferUnits())
                          .addLong(request.maximum())
                          .addLong(request.fixedQuantity()))
                  .chain(
                      () ->
                          quantities.listingChanged(
                              sql, code, sku, OffsetDateTime.now(ZoneOffset.UTC), force))
                  .chain(() -> findListing(sql, code, sku))
                  .map(listing -> new Written<>(listing, created));
            });
  }

  public Uni<Listing> findListing(SqlClient sql, String code, String sku) {
    return sql.preparedQuery(LISTING)
        .execute(Tuple.of(code, sku))
        .map(rows -> rows.size() == 0 ? null : Listing.fromRow(first(rows)));
  }

  private static Row first(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
    return rows.iterator().next();
  }
}
