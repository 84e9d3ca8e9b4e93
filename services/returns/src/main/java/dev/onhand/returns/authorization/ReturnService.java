package dev.onhand.returns.authorization;

import dev.onhand.platform.api.Lines;
import dev.onhand.platform.messaging.OperationalException;
import dev.onhand.platform.messaging.StockMovements;
import dev.onhand.platform.problem.FieldError;
import dev.onhand.platform.problem.ProblemException;
import dev.onhand.platform.reference.StockReferences;
import dev.onhand.platform.tx.Transactions;
import dev.onhand.platform.tx.UnitOfWork;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Returns and what they do to stock: units received go to the bucket their condition calls for
 * (SELLABLE → available, NEEDS_INSPECTION → qualityControl, DAMAGED/DEFECTIVE → damaged),
 * inspection moves quality-control units on, and every surprise (missing units, more than
 * authorised, no authorisation at all) raises an exception instead of being lost. Stock changes
 * leave through the outbox in the transaction that changed the return, with the receipt or
 * inspection id as movement id.
 */
@ApplicationScoped
public class ReturnService {
  private static final Logger LOG = Logger.getLogger(ReturnService.class);
  static final String MISSING_RETURN = "MISSING_RETURN";
  static final String OVER_RETURN = "OVER_RETURN";
  static final String UNEXPECTED_RETURN = "UNEXPECTED_RETURN";

  private final ReturnRepository returns;
  private final StockReferences references;
  private final StockMovements stock;
  private final Transactions transactions;
  private final Duration defaultValidity;

  public ReturnService(
      ReturnRepository returns,
      StockReferences references,
      StockMovements stock,
      Transactions transactions,
      @ConfigProperty(name = "onhand.returns.default-validity", defaultValue = "P30D")
          Duration defaultValidity) {
    this.returns = returns;
    this.references = references;
    this.stock = stock;
    this.transactions = transactions;
    this.defaultValidity = defaultValidity;
  }

  /** An RMA for units of an order, never more than were shipped and not already returnable. */
  public Uni<CustomerReturn> authorize(UnitOfWork unit, Requests.Authorize request) {
    boolean byId = request.orderId() != null;
    boolean byChannel = request.channel() != null && request.channelOrderId() != null;
    if (byId == byChannel) {
      throw ProblemException.validation(
          List.of(
              new FieldError(
                  "orderId",
                  "ORDER_REQUIRED",
                  "name the order by orderId or by channel and channelOrderId, not both")));
    }
    if (request.expiresAt() != null && !request.expiresAt().isAfter(OffsetDateTime.now())) {
      throw ProblemException.validation(
          List.of(new FieldError("expiresAt", "IN_THE_PAST", "must be in the future")));
    }
    Map<String, String> skus = Lines.distinctSkus(request.lines(), Requests.AuthorizeLine::sku);
    UUID id = UUID.randomUUID();
    return returns
        .lockShipped(unit.sql(), request.orderId(), request.channel(), request.channelOrderId())
        .chain(
            shipped -> {
              if (shipped == null) {
                throw ProblemException.unprocessable(
                    "ORDER_NOT_SHIPPED",
                    "Nothing of this order has shipped, so nothing can come back.");
              }
              return returns
                  .alreadyReturnable(unit.sql(), shipped.orderId())
                  .chain(
                      taken -> {
                        List<FieldError> errors = new ArrayList<>();
                        for (Requests.AuthorizeLine line : request.lines()) {
                          long left =
                              shipped.bySku().getOrDefault(line.sku(), 0L)
                                  - taken.getOrDefault(line.sku(), 0L);
                          if (line.quantity() > left) {
                            errors.add(
                                new FieldError(
                                    skus.get(line.sku()).replace(".sku", ".quantity"),
                                    "EXCEEDS_SHIPPED",
                                    "only "
                                        + Math.max(0, left)
                                        + " shipped units are not yet returnable"));
                          }
                        }
                        if (!errors.isEmpty()) {
                          throw ProblemException.unprocessable(
                                  "EXCEEDS_SHIPPED",
                                  "A return cannot authorise more than was shipped.")
                              .withErrors(errors);
                        }
                        Uni<Void> chain =
                            returns.insert(
                                unit.sql(),
                                id,
                                true,
                                shipped.orderId(),
                                shipped.channel(),
                                shipped.channelOrderId(),
                                ReturnStatus.AUTHORIZED,
                                request.expiresAt() == null
                                    ? OffsetDateTime.now().plus(defaultValidity)
                                    : request.expiresAt());
                        for (Requests.AuthorizeLine line : request.lines()) {
                          chain =
                              chain.chain(
                                  () ->
                                      returns.addLine(
                                          unit.sql(),
                                          id,
                                          line.sku(),
                                          line.quantity(),
                                          line.reason()));
                        }
                        return chain;
                      });
            })
        .chain(() -> returns.find(unit.sql(), id));
  }

  /** Units that arrived against an RMA, by condition. */
  public Uni<CustomerReturn> receive(UnitOfWork unit, UUID id, Requests.Receipt request) {
    requireDistinct(request.lines());
    return returns
        .lock(unit.sql(), id)
        .chain(
            header -> {
              if (header == null) {
                throw ProblemException.notFound("RETURN_NOT_FOUND", "No return " + id + ".");
              }
              if (!header.status().acceptsReceipts()) {
                throw ProblemException.conflict(
                        "RETURN_CLOSED", "Return " + id + " is " + header.status() + ".")
                    .with("returnStatus", header.status().name());
              }
              return arrive(unit, id, request.location(), request.lines(), false);
            })
        .chain(() -> returns.find(unit.sql(), id));
  }

  /** A parcel without an authorisation: recorded, received by condition, and reported. */
  public Uni<CustomerReturn> unexpected(UnitOfWork unit, Requests.Unexpected request) {
    requireDistinct(request.lines());
    UUID id = UUID.randomUUID();
    return returns
        .insert(
            unit.sql(),
            id,
            false,
            request.orderId(),
            request.channel(),
            request.channelOrderId(),
            ReturnStatus.RECEIVED,
            null)
        .chain(() -> arrive(unit, id, request.location(), request.lines(), true))
        .chain(() -> returns.find(unit.sql(), id));
  }

  private Uni<Void> arrive(
      UnitOfWork unit,
      UUID id,
      String location,
      List<Requests.ReceiptLine> lines,
      boolean unannounced) {
    Map<String, String> skus = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      skus.putIfAbsent(lines.get(i).sku(), "lines[" + i + "].sku");
    }
    UUID receiptId = UUID.randomUUID();
    String reference = "rma:" + id;
    return references
        .requireKnown(unit.sql(), "location", location, skus)
        .chain(() -> returns.lines(unit.sql(), id))
        .chain(
            before -> {
              Map<String, CustomerReturn.Line> bySku = new HashMap<>();
              before.forEach(l -> bySku.put(l.sku(), l));
              Map<String, Long> arrived = new LinkedHashMap<>();
              List<StockMovements.Line> movement = new ArrayList<>();
              Uni<Void> chain = returns.insertReceipt(unit.sql(), receiptId, id, location, lines);
              for (Requests.ReceiptLine line : lines) {
                Condition condition = line.condition();
                if (condition == Condition.MISSING) {
                  chain =
                      chain.chain(
                          () ->
                              raise(
                                  unit,
                                  id,
                                  MISSING_RETURN,
                                  line.sku(),
                                  location,
                                  line.quantity(),
                                  0,
                                  reference));
                  continue;
                }
                arrived.merge(line.sku(), line.quantity(), Long::sum);
                movement.add(
                    new StockMovements.Line(
                        line.sku(), location, condition.state, line.quantity(), condition.reason));
                if (condition == Condition.NEEDS_INSPECTION) {
                  chain =
                      chain
                          .chain(
                              () ->
                                  returns.awaiting(
                                      unit.sql(), id, location, line.sku(), line.quantity()))
                          .replaceWithVoid();
                }
              }
              for (Map.Entry<String, Long> a : arrived.entrySet()) {
                CustomerReturn.Line line = bySku.get(a.getKey());
                long authorized = line == null ? 0 : line.authorized();
                long after = (line == null ? 0 : line.received()) + a.getValue();
                String sku = a.getKey();
                if (line == null) {
                  chain = chain.chain(() -> returns.addLine(unit.sql(), id, sku, 0, null));
                }
                chain = chain.chain(() -> returns.received(unit.sql(), id, sku, a.getValue()));
                if (unannounced) {
                  chain =
                      chain.chain(
                          () ->
                              raise(
                                  unit,
                                  id,
                                  UNEXPECTED_RETURN,
                                  sku,
                                  location,
                                  0,
                                  a.getValue(),
                                  reference));
                } else if (after > authorized
                    && (line == null ? 0 : line.received()) <= authorized) {
                  chain =
                      chain.chain(
                          () ->
                              raise(
                                  unit,
                                  id,
                                  OVER_RETURN,
                                  sku,
                                  location,
                                  authorized,
                                  after,
                                  reference));
                }
              }
              stock.request(
                  unit, receiptId, "returned_restock", reference, OffsetDateTime.now(), movement);
              return chain
                  .chain(() -> returns.lines(unit.sql(), id))
                  .chain(
                      after ->
                          unannounced
                              ? Uni.createFrom().voidItem()
                              : returns.status(
                                  unit.sql(),
                                  id,
                                  after.stream().allMatch(l -> l.outstanding() == 0)
                                      ? ReturnStatus.RECEIVED
                                      : ReturnStatus.PARTIALLY_RECEIVED,
                                  null));
            });
  }

  /** Inspection's decisions for quality-control units of the return at a location. */
  public Uni<CustomerReturn> inspect(UnitOfWork unit, UUID id, Requests.Inspection request) {
    Set<String> pairs = new HashSet<>();
    List<FieldError> duplicates = new ArrayList<>();
    for (int i = 0; i < request.lines().size(); i++) {
      Requests.InspectionLine l = request.lines().get(i);
      if (!pairs.add(l.sku() + "/" + l.outcome())) {
        duplicates.add(
            new FieldError("lines[" + i + "]", "DUPLICATE_LINE", "each SKU and outcome once"));
      }
    }
    if (!duplicates.isEmpty()) {
      throw ProblemException.validation(duplicates);
    }
    UUID inspectionId = UUID.randomUUID();
    return returns
        .lock(unit.sql(), id)
        .chain(
            header -> {
              if (header == null) {
                throw ProblemException.notFound("RETURN_NOT_FOUND", "No return " + id + ".");
              }
              List<StockMovements.Line> movement = new ArrayList<>();
              Uni<List<FieldError>> chain =
                  Uni.createFrom().item((List<FieldError>) new ArrayList<FieldError>());
              for (int i = 0; i < request.lines().size(); i++) {
                Requests.InspectionLine line = request.lines().get(i);
                String field = "lines[" + i + "].quantity";
                chain =
                    chain.call(
                        errors ->
                            returns
                                .awaiting(
                                    unit.sql(),
                                    id,
                                    request.location(),
                                    line.sku(),
                                    -line.quantity())
                                .invoke(
                                    ok -> {
                                      if (!ok) {
                                        errors.add(
                                            new FieldError(
                                                field,
                                                "EXCEEDS_AWAITING",
                                                "more than awaits inspection at "
                                                    + request.location()));
                                      }
                                    }));
                Outcome outcome = line.outcome();
                movement.add(
                    new StockMovements.Line(
                        line.sku(),
                        request.location(),
                        "qualityControl",
                        -line.quantity(),
                        outcome.reason));
                if (outcome.state != null) {
                  movement.add(
                      new StockMovements.Line(
                          line.sku(),
                          request.location(),
                          outcome.state,
                          line.quantity(),
                          outcome.reason));
                }
              }
              return chain.chain(
                  errors -> {
                    if (!errors.isEmpty()) {
                      throw ProblemException.unprocessable(
                              "EXCEEDS_AWAITING",
                              "Only units of this return awaiting inspection there can be inspected.")
                          .withErrors(errors);
                    }
                    stock.request(
                        unit,
                        inspectionId,
                        "quality_control",
                        "rma:" + id,
                        OffsetDateTime.now(),
                        movement);
                    return returns.insertInspection(
                        unit.sql(), inspectionId, id, request.location(), request.lines());
                  });
            })
        .chain(() -> returns.find(unit.sql(), id));
  }

  private Uni<Void> raise(
      UnitOfWork unit,
      UUID id,
      String kind,
      String sku,
      String location,
      long expected,
      long actual,
      String reference) {
    UUID exceptionId = UUID.randomUUID();
    stock.raise(
        unit,
        new OperationalException(
            exceptionId,
            kind,
            kind.equals(MISSING_RETURN) ? "MEDIUM" : "LOW",
            reference,
            OffsetDateTime.now(),
            sku,
            location,
            expected,
            actual,
            null,
            null));
    return returns.insertException(unit.sql(), exceptionId, id, kind, sku, expected, actual);
  }

  private static void requireDistinct(List<Requests.ReceiptLine> lines) {
    Set<String> pairs = new HashSet<>();
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Requests.ReceiptLine l = lines.get(i);
      if (!pairs.add(l.sku() + "/" + l.condition())) {
        errors.add(
            new FieldError("lines[" + i + "]", "DUPLICATE_LINE", "each SKU and condition once"));
      }
    }
    if (!errors.isEmpty()) {
      throw ProblemException.validation(errors);
    }
  }

  /** Closes authorisations that lapsed unused. */
  @Scheduled(
      every = "${onhand.returns.expiry-check}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> expire() {
    return transactions
        .run(unit -> returns.expire(unit.sql()))
        .invoke(
            n -> {
              if (n > 0) {
                LOG.infof("%d return authorisations expired unused", n);
              }
            })
        .onFailure()
        .invoke(e -> LOG.warnf("Return expiry failed, will retry: %s", e.toString()))
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }

  public record Rate(String sku, long shipped, long returned, Double rate) {}

  /** Returned units over shipped units of a SKU, all time. */
  public Uni<Rate> rate(io.vertx.mutiny.sqlclient.SqlClient sql, String sku) {
    return returns
        .rate(sql, sku)
        .map(r -> new Rate(sku, r[0], r[1], r[0] == 0 ? null : (double) r[1] / r[0]));
  }
}
