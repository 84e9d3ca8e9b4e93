package dev.onhand.stock.location;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** The body of {@code PUT /locations/{code}}. */
public record LocationRequest(
    @NotBlank @Size(max = 200) String name, @NotNull LocationType type, Boolean authoritative) {}
