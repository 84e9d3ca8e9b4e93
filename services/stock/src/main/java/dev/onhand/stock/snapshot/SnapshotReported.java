package dev.onhand.stock.snapshot;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.OffsetDateTime;
import java.util.UUID;

/** The data of {@code channel-sync.snapshot.reported}: what an authoritative location holds. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SnapshotReported(
    @NotNull UUID reconciliationId,
    @NotNull String channel,
    @NotNull String location,
    @NotNull String sku,
    @NotNull @Min(0) Long quantity,
    @NotNull OffsetDateTime observedAt) {}
