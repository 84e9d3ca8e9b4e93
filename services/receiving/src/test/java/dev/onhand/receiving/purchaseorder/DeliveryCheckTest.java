package dev.onhand.receiving.purchaseorder;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tolerance rules alone, on hand-computed cases. */
class DeliveryCheckTest {
  private static final BigDecimal FIVE = BigDecimal.valueOf(5);

  @Test
  void theAllowanceIsTheFloorOfThePercentage() {
    assertThat(DeliveryCheck.allowance(100, FIVE)).isEqualTo(5);
    assertThat(DeliveryCheck.allowance(19, FIVE)).isZero();
    assertThat(DeliveryCheck.allowance(40, new BigDecimal("2.5"))).isEqualTo(1);
    assertThat(DeliveryCheck.allowance(7, BigDecimal.ZERO)).isZero();
  }

  @Test
  void aReceiptSettlesIncomingUpToWhatIsOutstandingAndJudgesTheLineTotal() {
    List<PurchaseOrder.Line> lines =
        List.of(new PurchaseOrder.Line("A", 100, 90, 0), new PurchaseOrder.Line("B", 10, 0, 0));
    List<DeliveryCheck.Arrival> arrivals =
        DeliveryCheck.receive(
            lines,
            FIVE,
            List.of(
                new ReceiptRequest.Line("A", 14L, 2L),
                new ReceiptRequest.Line("B", 5L, null),
                new ReceiptRequest.Line("C", 1L, 1L)));

    DeliveryCheck.Arrival a = arrivals.get(0);
    assertThat(a.incomingReleased()).as("only 10 were still expected").isEqualTo(10);
    assertThat(a.finding()).isEqualTo(new DeliveryCheck.Finding("OVER_RECEIPT", "A", 100, 106));
    DeliveryCheck.Arrival b = arrivals.get(1);
    assertThat(b.incomingReleased()).isEqualTo(5);
    assertThat(b.finding()).isNull();
    DeliveryCheck.Arrival c = arrivals.get(2);
    assertThat(c.ordered()).isFalse();
    assertThat(c.incomingReleased()).isZero();
    assertThat(c.finding()).isEqualTo(new DeliveryCheck.Finding("UNEXPECTED_SKU", "C", 0, 2));
  }

  @Test
  void overDeliveryExactlyAtTheToleranceIsAccepted() {
    List<DeliveryCheck.Arrival> arrivals =
        DeliveryCheck.receive(
            List.of(new PurchaseOrder.Line("A", 100, 0, 0)),
            FIVE,
            List.of(new ReceiptRequest.Line("A", 105L, 0L)));
    assertThat(arrivals.get(0).finding()).isNull();
    assertThat(arrivals.get(0).incomingReleased()).isEqualTo(100);
  }

  @Test
  void closingJudgesShortLinesAgainstTheTolerance() {
    List<PurchaseOrder.Line> lines =
        List.of(
            new PurchaseOrder.Line("WITHIN", 100, 90, 5),
            new PurchaseOrder.Line("SHORT", 100, 94, 0),
            new PurchaseOrder.Line("NONE", 3, 0, 0));
    assertThat(DeliveryCheck.close(lines, FIVE))
        .containsExactly(
            new DeliveryCheck.Finding("SHORT_RECEIPT", "SHORT", 100, 94),
            new DeliveryCheck.Finding("SHORT_RECEIPT", "NONE", 3, 0));
  }

  @Test
  void statusFollowsWhatHasArrived() {
    assertThat(DeliveryCheck.statusOf(List.of(new PurchaseOrder.Line("A", 5, 0, 0))))
        .isEqualTo(PurchaseOrderStatus.OPEN);
    assertThat(
            DeliveryCheck.statusOf(
                List.of(
                    new PurchaseOrder.Line("A", 5, 5, 0), new PurchaseOrder.Line("B", 5, 1, 0))))
        .isEqualTo(PurchaseOrderStatus.PARTIALLY_RECEIVED);
    assertThat(
            DeliveryCheck.statusOf(
                List.of(
                    new PurchaseOrder.Line("A", 5, 4, 1), new PurchaseOrder.Line("B", 5, 9, 0))))
        .isEqualTo(PurchaseOrderStatus.RECEIVED);
  }
}
