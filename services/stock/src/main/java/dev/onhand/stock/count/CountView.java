package dev.onhand.stock.count;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A cycle count as the API shows it. A blind count omits the expected quantities while it is OPEN,
 * so the counter counts what is there rather than confirming a number.
 */
@Schema(name = "CountView")
public record CountView(
    UUID id,
    String location,
    Status status,
    boolean blind,
    AbcClass abcClass,
    long toleranceUnits,
    BigDecimal tolerancePercent,
    List<Line> lines,
    String createdBy,
    OffsetDateTime createdAt,
    String resultsBy,
    OffsetDateTime resultsAt,
    String decidedBy,
    OffsetDateTime decidedAt,
    String decisionNote) {

  /**
   * OPEN → COMPLETED (every variance within tolerance, applied) or AWAITING_APPROVAL → APPROVED or
   * REJECTED; an OPEN count may be rejected (withdrawn) too.
   */
  @Schema(name = "CountStatus")
  public enum Status {
    OPEN,
    COMPLETED,
    AWAITING_APPROVAL,
    APPROVED,
    REJECTED
  }

  /**
   * OPEN until counted; ACCEPTED within tolerance (its variance applied at once); PENDING_APPROVAL
   * beyond it, then APPROVED (variance applied) or REJECTED (nothing applied).
   */
  @Schema(name = "CountLineStatus")
  public enum LineStatus {
    OPEN,
    ACCEPTED,
    PENDING_APPROVAL,
    APPROVED,
    REJECTED
  }

  /**
   * One SKU of the count: {@code expected} is onHand at the start, {@code expectedAtCount} that
   * plus every physical movement recorded between the start and {@code countedAt}; {@code variance}
   * = counted − expectedAtCount, {@code varianceValue} = variance × unit cost.
   */
  @Schema(name = "CountLine")
  public record Line(
      String sku,
      Long expected,
      Long expectedAtCount,
      Long counted,
      OffsetDateTime countedAt,
      Long variance,
      BigDecimal varianceValue,
      Boolean withinTolerance,
      LineStatus status) {}
}
