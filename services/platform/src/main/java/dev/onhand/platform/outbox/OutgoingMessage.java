package dev.onhand.platform.outbox;

import dev.onhand.platform.messaging.Envelope;
import java.util.Map;

/**
 * A message waiting in a unit of work for its transaction to commit. {@code aggregate} is what the
 * relay keeps in order (for inventory events, {@code SKU@LOCATION}); {@code headers} carry trace
 * context.
 */
public record OutgoingMessage(Envelope envelope, String aggregate, Map<String, String> headers) {}
