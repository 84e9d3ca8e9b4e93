package dev.onhand.receiving.purchaseorder;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A purchase order as the API shows it: its lines, receipts, ship notices and exceptions. */
public record PurchaseOrder(
    UUID id,
    String number,
    String supplier,
    String location,
    LocalDate expectedDate,
    PurchaseOrderStatus status,
    BigDecimal tolerancePercent,
    List<Line> lines,
    List<Receipt> receipts,
    List<ShipNotice> shipNotices,
    List<Discrepancy> exceptions,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt,
    OffsetDateTime closedAt) {

  /** {@code outstanding} is what is still expected (and shows as incoming at stock). */
  @Schema(name = "PurchaseOrderLine")
  public record Line(String sku, long ordered, long receivedGood, long receivedDamaged) {
    @JsonProperty
    public long received() {
      return receivedGood + receivedDamaged;
    }

    @JsonProperty
    public long outstanding() {
      return Math.max(0, ordered - received());
    }
  }

  public record Receipt(
      UUID id,
      OffsetDateTime receivedAt,
      String note,
      String receivedBy,
      List<ReceiptLine> lines) {}

  /** {@code ordered} false for a SKU the PO did not order. */
  public record ReceiptLine(String sku, long good, long damaged, boolean ordered) {}

  public record ShipNotice(
      UUID id,
      String carrier,
      String trackingNumber,
      OffsetDateTime expectedArrival,
      List<ShipNoticeLine> lines,
      OffsetDateTime createdAt) {}

  public record ShipNoticeLine(String sku, long quantity) {}

  /** An over or short delivery or an unexpected SKU, also sent as receiving.exception.raised. */
  public record Discrepancy(
      UUID id,
      String kind,
      String sku,
      long expected,
      long actual,
      UUID receiptId,
      OffsetDateTime raisedAt) {}

  /** A purchase order in a list: its header only. */
  @Schema(name = "PurchaseOrderSummary")
  public record Summary(
      UUID id,
      String number,
      String supplier,
      String location,
      LocalDate expectedDate,
      PurchaseOrderStatus status,
      OffsetDateTime createdAt) {}
}
