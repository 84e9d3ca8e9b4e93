package dev.onhand.stock.count;

import dev.onhand.platform.api.Identifiers;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The bodies of the counts API. */
public final class CountRequests {
  /** The most SKUs one count may hold, so its results always fit one request. */
  public static final int MAX_SKUS = 5000;

  private CountRequests() {}

  /**
   * {@code POST /counts}: which SKUs of a location to count — the listed {@code skus}, the SKUs of
   * one {@code abcClass}, or (neither) every SKU with a balance there — and the tolerance within
   * which a variance is applied without approval.
   */
  @Schema(name = "CountRequest")
  public record Create(
      @NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE)
          String location,
      @Size(min = 1, max = MAX_SKUS)
          List<
                  @NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE)
                  String>
              skus,
      AbcClass abcClass,
      Boolean blind,
      @PositiveOrZero @Max(Identifiers.MAX_QUANTITY) Long toleranceUnits,
      @DecimalMin("0") @DecimalMax("100") @Digits(integer = 3, fraction = 4)
          BigDecimal tolerancePercent) {}

  /** {@code POST /counts/{id}/results}: what was counted, one line per SKU of the count. */
  @Schema(name = "CountResults")
  public record Results(@NotNull @Size(min = 1, max = MAX_SKUS) List<@NotNull @Valid Line> lines) {}

  /** One SKU's physical count; {@code countedAt} (default: when the results arrive) is when. */
  @Schema(name = "CountResultLine")
  public record Line(
      @NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String sku,
      @NotNull @PositiveOrZero @Max(Identifiers.MAX_QUANTITY) Long counted,
      OffsetDateTime countedAt) {}

  /** {@code POST /counts/{id}/approve} and {@code /reject}: an optional note. */
  @Schema(name = "CountDecision")
  public record Decision(@Size(max = 1000) String note) {}
}
