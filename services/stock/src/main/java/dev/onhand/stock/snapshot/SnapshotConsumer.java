package dev.onhand.stock.snapshot;

import dev.onhand.platform.inbox.Inbox;
import dev.onhand.platform.inbox.MessageReader;
import dev.onhand.platform.inbox.PermanentMessageFailure;
import dev.onhand.platform.messaging.Envelope;
import dev.onhand.platform.messaging.OperationalException;
import dev.onhand.platform.tx.UnitOfWork;
import dev.onhand.stock.exceptions.ExceptionRegister;
import dev.onhand.stock.ledger.BalanceKey;
import dev.onhand.stock.ledger.Bucket;
import dev.onhand.stock.ledger.Ledger;
import dev.onhand.stock.ledger.Movement;
import dev.onhand.stock.ledger.Reason;
import dev.onhand.stock.ledger.StockChange;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Mirrors authoritative locations (FBA, a 3PL that owns its count) from the snapshots their
 * channels report ({@code channel-sync.snapshot.reported}, queue {@code
 * stock.channel-sync-snapshots}, through the inbox). Such a location's count is the node's, not
 * stock's: when a snapshot differs from stock's available units there, available is adjusted by the
 * difference (reason {@code reconciliation}, reference {@code reconciliation:<id>}), and a
 * difference of more than {@code onhand.stock.snapshots.tolerance} units is also registered as
 * CHANNEL_DRIFT. A snapshot is a level: applied again it finds no difference and changes nothing. A
 * snapshot observed no later than the newest one already applied to its balance is a past level and
 * is ignored, so snapshots arriving out of order never take a balance back. Snapshots of a location
 * that is not authoritative, or that stock does not know, are ignored.
 */
@ApplicationScoped
public class SnapshotConsumer {
  public static final String CONSUMER = "stock.channel-sync-snapshots";
  public static final String SNAPSHOT_REPORTED = "channel-sync.snapshot.reported";

  private static final Logger LOG = Logger.getLogger(SnapshotConsumer.class);

  private final Inbox inbox;
  private final MessageReader reader;
  private final Ledger ledger;
  private final ExceptionRegister register;
  private final long tolerance;

  public SnapshotConsumer(
      Inbox inbox,
      MessageReader reader,
      Ledger ledger,
      ExceptionRegister register,
      @ConfigProperty(name = "onhand.stock.snapshots.tolerance", defaultValue = "0")
          long tolerance) {
    this.inbox = inbox;
    this.reader = reader;
    this.ledger = ledger;
    this.register = register;
    this.tolerance = tolerance;
  }

  @Incoming("channel-sync-snapshots")
  public Uni<Void> consume(Message<?> message) {
    return inbox.consume(CONSUMER, message, this::mirror);
  }

  Uni<Void> mirror(UnitOfWork unit, Envelope envelope) {
    if (!SNAPSHOT_REPORTED.equals(envelope.type())) {
      throw new PermanentMessageFailure("unexpected message type " + envelope.type());
    }
    SnapshotReported snapshot = reader.read(envelope, SnapshotReported.class);
    return unit.sql()
        .preparedQuery("SELECT authoritative FROM location WHERE code = $1")
        .execute(Tuple.of(snapshot.location()))
        .chain(
            rows -> {
              if (rows.size() == 0 || !rows.iterator().next().getBoolean("authoritative")) {
                LOG.infof(
                    "snapshot of %s at %s ignored: not an authoritative location of stock's",
                    snapshot.sku(), snapshot.location());
                return Uni.createFrom().voidItem();
              }
              return adjust(unit, envelope, snapshot);
            });
  }

  /**
   * Records the snapshot as the newest of its balance, if it is; the balance row is locked, so
   * snapshots of one balance are judged one at a time.
   */
  private static final String NEWER =
      "INSERT INTO snapshot_observation (sku, location, observed_at) VALUES ($1, $2, $3)"
          + " ON CONFLICT (sku, location) DO UPDATE SET observed_at = EXCLUDED.observed_at"
          + " WHERE snapshot_observation.observed_at < EXCLUDED.observed_at RETURNING sku";

  private Uni<Void> adjust(UnitOfWork unit, Envelope envelope, SnapshotReported snapshot) {
    BalanceKey key = new BalanceKey(snapshot.sku(), snapshot.location());
    return ledger
        .open(unit, List.of(key), true)
        .chain(
            change -> {
              if (!change.unknown().isEmpty()) {
                LOG.infof("snapshot of %s ignored: stock does not know the SKU", snapshot.sku());
                return Uni.createFrom().voidItem();
              }
              return unit.sql()
                  .preparedQuery(NEWER)
                  .execute(Tuple.of(snapshot.sku(), snapshot.location(), snapshot.observedAt()))
                  .chain(
                      newer -> {
                        if (newer.rowCount() == 0) {
                          LOG.infof(
                              "snapshot of %s at %s observed %s ignored: a newer one was applied",
                              snapshot.sku(), snapshot.location(), snapshot.observedAt());
                          return Uni.createFrom().voidItem();
                        }
                        return apply(unit, envelope, snapshot, key, change);
                      });
            });
  }

  private Uni<Void> apply(
      UnitOfWork unit,
      Envelope envelope,
      SnapshotReported snapshot,
      BalanceKey key,
      StockChange change) {
    String reference = "reconciliation:" + snapshot.reconciliationId();
    return Uni.createFrom()
        .deferred(
            () -> {
              long available = change.quantity(key, Bucket.AVAILABLE);
              long difference = snapshot.quantity() - available;
              if (difference == 0) {
                return Uni.createFrom().voidItem();
              }
              change.apply(
                  key,
                  Bucket.AVAILABLE,
                  difference,
                  new Movement(
                      UUID.nameUUIDFromBytes(
                          ("snapshot:" + envelope.id()).getBytes(StandardCharsets.UTF_8)),
                      Reason.RECONCILIATION,
                      reference,
                      envelope.source(),
                      null,
                      snapshot.observedAt()));
              Uni<Void> raised =
                  Math.abs(difference) > tolerance
                      ? register.record(
                          unit.sql(), envelope.source(), drift(snapshot, available, difference))
                      : Uni.createFrom().voidItem();
              return raised.chain(() -> ledger.write(unit, change, null));
            });
  }

  private static OperationalException drift(
      SnapshotReported snapshot, long available, long difference) {
    String reference = "reconciliation:" + snapshot.reconciliationId();
    return new OperationalException(
        // one per reconciliation and balance, however often the snapshot is delivered
        UUID.nameUUIDFromBytes(
            ("snapshot-drift:" + reference + ":" + snapshot.sku() + "@" + snapshot.location())
                .getBytes(StandardCharsets.UTF_8)),
        "CHANNEL_DRIFT",
        Math.abs(difference) > 10 ? "HIGH" : "MEDIUM",
        reference,
        snapshot.observedAt(),
        snapshot.sku(),
        snapshot.location(),
        available,
        snapshot.quantity(),
        List.of("channel:" + snapshot.channel()),
        "Authoritative location "
            + snapshot.location()
            + " reports "
            + snapshot.quantity()
            + " of "
            + snapshot.sku()
            + " (channel "
            + snapshot.channel()
            + ") where stock had "
            + available
            + " available; available was set to the location's count.");
  }
}
