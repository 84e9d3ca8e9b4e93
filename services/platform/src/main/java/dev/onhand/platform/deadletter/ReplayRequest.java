package dev.onhand.platform.deadletter;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * {@code POST .../dead-letters/replay}: the consumer (its queue's name) and, optionally, which of
 * its dead-lettered messages to move back; without {@code messageIds}, all of them.
 */
public record ReplayRequest(
    @NotBlank @Size(max = 255) String consumer,
    @Size(min = 1, max = 1000) List<@NotNull @NotBlank @Size(max = 255) String> messageIds) {}
