package dev.onhand.receiving.purchaseorder;

import dev.onhand.platform.api.Lines;
import dev.onhand.platform.messaging.OperationalException;
import dev.onhand.platform.messaging.StockMovements;
import dev.onhand.platform.messaging.StockMovements.Line;
import dev.onhand.platform.problem.FieldError;
import dev.onhand.platform.problem.ProblemException;
import dev.onhand.platform.reference.StockReferences;
import dev.onhand.platform.tx.UnitOfWork;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Purchase orders and what they do to stock: a PO raises {@code incoming} at its location, a
 * receipt moves units from incoming into available and damaged, closing releases what will not
 * come. Every change to stock leaves through the outbox in the same transaction as the PO's own
 * change, with a movement id stock deduplicates on.
 */
@ApplicationScoped
public class PurchaseOrderService {
  static final String STOCK_INCOMING = "incoming";
  static final String STOCK_AVAILABLE = "available";
  static final String STOCK_DAMAGED = "damaged";

  private final PurchaseOrderRepository repository;
  private final StockReferences references;
  private final StockMovements events;
  private final BigDecimal defaultTolerance;

  public PurchaseOrderService(
      PurchaseOrderRepository repository,
      StockReferences references,
      StockMovements events,
      @ConfigProperty(name = "onhand.receiving.tolerance-percent", defaultValue = "5")
          BigDecimal defaultTolerance) {
    this.repository = repository;
    this.references = references;
    this.events = events;
    this.defaultTolerance = defaultTolerance;
  }

  public Uni<PurchaseOrder> create(UnitOfWork unit, PurchaseOrderRequest request, String actor) {
    Map<String, String> skus = Lines.distinctSkus(request.lines(), PurchaseOrderRequest.Line::sku);
    UUID id = UUID.randomUUID();
    BigDecimal tolerance =
        request.tolerancePercent() == null ? defaultTolerance : request.tolerancePercent();
    return references
        .requireKnown(unit.sql(), "location", request.location(), skus)
        .chain(() -> repository.insert(unit.sql(), id, request, tolerance, actor))
        .chain(
            inserted -> {
              if (!inserted) {
                throw ProblemException.conflict(
                    "PURCHASE_ORDER_EXISTS",
                    "A purchase order numbered " + request.number() + " exists.");
              }
              List<Line> lines = new ArrayList<>();
              request
                  .lines()
                  .forEach(
                      l ->
                          lines.add(
                              new Line(
                                  l.sku(),
                                  request.location(),
                                  STOCK_INCOMING,
                                  l.quantity(),
                                  null)));
              events.request(
                  unit,
                  id,
                  "purchase_order",
                  reference(request.number()),
                  OffsetDateTime.now(),
                  lines);
              return repository.find(unit.sql(), id);
            });
  }

  /** A delivery against the PO: stock's buckets move, differences beyond tolerance are raised. */
  public Uni<PurchaseOrder> receive(
      UnitOfWork unit, UUID orderId, ReceiptRequest request, String actor) {
    Map<String, String> skus = Lines.distinctSkus(request.lines(), ReceiptRequest.Line::sku);
    List<FieldError> empty = new ArrayList<>();
    for (int i = 0; i < request.lines().size(); i++) {
      ReceiptRequest.Line line = request.lines().get(i);
      if (line.goodUnits() + line.damagedUnits() == 0) {
        empty.add(
            new FieldError("lines[" + i + "]", "NO_UNITS", "good or damaged must be above 0"));
      }
    }
    if (!empty.isEmpty()) {
      throw ProblemException.validation(empty);
    }
    UUID receiptId = UUID.randomUUID();
    OffsetDateTime receivedAt =
        request.receivedAt() == null ? OffsetDateTime.now() : request.receivedAt();
    return open(unit, orderId)
        .chain(
            header ->
                repository
                    .lines(unit.sql(), orderId)
                    .chain(
                        lines -> {
                          Set<String> ordered = new HashSet<>();
                          lines.forEach(l -> ordered.add(l.sku()));
                          Map<String, String> unexpected = new LinkedHashMap<>(skus);
                          unexpected.keySet().removeAll(ordered);
                          List<DeliveryCheck.Arrival> arrivals =
                              DeliveryCheck.receive(
                                  lines, header.tolerancePercent(), request.lines());
                          return references
                              .requireKnown(unit.sql(), null, null, unexpected)
                              .chain(
                                  () ->
                                      repository.insertReceipt(
                                          unit.sql(),
                                          receiptId,
                                          orderId,
                                          receivedAt,
                                          request.note(),
                                          actor,
                                          arrivals))
                              .chain(() -> repository.lines(unit.sql(), orderId))
                              .chain(
                                  after ->
                                      repository.updateStatus(
                                          unit.sql(), orderId, DeliveryCheck.statusOf(after)))
                              .chain(
                                  () -> {
                                    events.request(
                                        unit,
                                        receiptId,
                                        "received",
                                        reference(header.number()) + "/receipt:" + receiptId,
                                        receivedAt,
                                        receiptMovement(header.location(), arrivals));
                                    List<DeliveryCheck.Finding> findings =
                                        arrivals.stream()
                                            .map(DeliveryCheck.Arrival::finding)
                                            .filter(f -> f != null)
                                            .toList();
                                    return raise(unit, header, findings, receiptId);
                                  });
                        }))
        .chain(() -> repository.find(unit.sql(), orderId));
  }

  /** Nothing more will come: stock's incoming falls by what is outstanding; shorts are raised. */
  public Uni<PurchaseOrder> close(UnitOfWork unit, UUID orderId) {
    return open(unit, orderId)
        .chain(
            header ->
                repository
                    .lines(unit.sql(), orderId)
                    .chain(
                        lines -> {
                          releaseOutstanding(unit, header, lines, "close");
                          return repository
                              .updateStatus(unit.sql(), orderId, PurchaseOrderStatus.CLOSED)
                              .chain(
                                  () ->
                                      raise(
                                          unit,
                                          header,
                                          DeliveryCheck.close(lines, header.tolerancePercent()),
                                          null));
                        }))
        .chain(() -> repository.find(unit.sql(), orderId));
  }

  /** Withdraws a PO before anything arrived: all its incoming goes. */
  public Uni<PurchaseOrder> cancel(UnitOfWork unit, UUID orderId) {
    return open(unit, orderId)
        .chain(
            header ->
                repository
                    .lines(unit.sql(), orderId)
                    .chain(
                        lines -> {
                          if (lines.stream().anyMatch(l -> l.received() > 0)) {
                            throw ProblemException.conflict(
                                "PURCHASE_ORDER_RECEIVED",
                                "Units of purchase order "
                                    + header.number()
                                    + " have arrived; close it instead.");
                          }
                          releaseOutstanding(unit, header, lines, "cancel");
                          return repository.updateStatus(
                              unit.sql(), orderId, PurchaseOrderStatus.CANCELLED);
                        }))
        .chain(() -> repository.find(unit.sql(), orderId));
  }

  public Uni<PurchaseOrder> notice(UnitOfWork unit, UUID orderId, ShipNoticeRequest request) {
    Map<String, String> skus = Lines.distinctSkus(request.lines(), ShipNoticeRequest.Line::sku);
    return open(unit, orderId)
        .chain(header -> repository.lines(unit.sql(), orderId))
        .chain(
            lines -> {
              Set<String> ordered = new HashSet<>();
              lines.forEach(l -> ordered.add(l.sku()));
              List<FieldError> errors = new ArrayList<>();
              skus.forEach(
                  (sku, field) -> {
                    if (!ordered.contains(sku)) {
                      errors.add(
                          new FieldError(field, "SKU_NOT_ORDERED", "not on this purchase order"));
                    }
                  });
              if (!errors.isEmpty()) {
                throw ProblemException.unprocessable(
                        "SKU_NOT_ORDERED", "A ship notice may only name SKUs the PO ordered.")
                    .withErrors(errors);
              }
              return repository.insertShipNotice(unit.sql(), UUID.randomUUID(), orderId, request);
            })
        .chain(() -> repository.find(unit.sql(), orderId));
  }

  /** The PO, locked, if it still takes receipts; 404 or 409 otherwise. */
  private Uni<PurchaseOrderRepository.Header> open(UnitOfWork unit, UUID orderId) {
    return repository
        .lock(unit.sql(), orderId)
        .map(
            header -> {
              if (header == null) {
                throw ProblemException.notFound(
                    "PURCHASE_ORDER_NOT_FOUND", "No purchase order " + orderId + ".");
              }
              if (!header.status().acceptsReceipts()) {
                throw ProblemException.conflict(
                        "PURCHASE_ORDER_CLOSED",
                        "Purchase order " + header.number() + " is " + header.status() + ".")
                    .with("purchaseOrderStatus", header.status().name());
              }
              return header;
            });
  }

  private void releaseOutstanding(
      UnitOfWork unit,
      PurchaseOrderRepository.Header header,
      List<PurchaseOrder.Line> lines,
      String why) {
    List<Line> release = new ArrayList<>();
    lines.forEach(
        l ->
            release.add(
                new Line(l.sku(), header.location(), STOCK_INCOMING, -l.outstanding(), null)));
    events.request(
        unit,
        UUID.nameUUIDFromBytes((why + ":" + header.id()).getBytes(StandardCharsets.UTF_8)),
        "purchase_order_closed",
        reference(header.number()),
        OffsetDateTime.now(),
        release);
  }

  private static List<Line> receiptMovement(String location, List<DeliveryCheck.Arrival> arrivals) {
    List<Line> lines = new ArrayList<>();
    for (DeliveryCheck.Arrival a : arrivals) {
      lines.add(new Line(a.sku(), location, STOCK_INCOMING, -a.incomingReleased(), null));
      lines.add(new Line(a.sku(), location, STOCK_AVAILABLE, a.good(), null));
      lines.add(new Line(a.sku(), location, STOCK_DAMAGED, a.damaged(), "damaged"));
    }
    return lines;
  }

  private Uni<Void> raise(
      UnitOfWork unit,
      PurchaseOrderRepository.Header header,
      List<DeliveryCheck.Finding> findings,
      UUID receiptId) {
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (DeliveryCheck.Finding finding : findings) {
      UUID id = UUID.randomUUID();
      events.raise(
          unit,
          new OperationalException(
              id,
              finding.kind(),
              finding.kind().equals(DeliveryCheck.UNEXPECTED_SKU) ? "MEDIUM" : "LOW",
              reference(header.number()),
              OffsetDateTime.now(),
              finding.sku(),
              header.location(),
              finding.expected(),
              finding.actual(),
              receiptId == null ? null : List.of("receipt:" + receiptId),
              describe(finding, header)));
      chain =
          chain.chain(
              () -> repository.insertException(unit.sql(), id, header.id(), finding, receiptId));
    }
    return chain;
  }

  private static String describe(DeliveryCheck.Finding f, PurchaseOrderRepository.Header header) {
    switch (f.kind()) {
      case DeliveryCheck.UNEXPECTED_SKU:
        return f.actual()
            + " units of "
            + f.sku()
            + " arrived; PO "
            + header.number()
            + " did not order it.";
      case DeliveryCheck.OVER_RECEIPT:
        return f.actual()
            + " of "
            + f.expected()
            + " ordered units of "
            + f.sku()
            + " arrived, beyond the "
            + header.tolerancePercent().toPlainString()
            + "% tolerance.";
      default:
        return "PO "
            + header.number()
            + " closed with "
            + f.actual()
            + " of "
            + f.expected()
            + " ordered units of "
            + f.sku()
            + ", short beyond the "
            + header.tolerancePercent().toPlainString()
            + "% tolerance.";
    }
  }

  static String reference(String number) {
    return "po:" + number;
  }
}
