package dev.onhand.platform.deadletter;

import java.util.List;

/**
 * What a replay moved back onto the consumer's queue, and the message ids it looked for but did not
 * find in the dead-letter queue (asked for by id, or recorded dead but no longer there).
 */
public record ReplayResult(int replayed, List<String> notFound) {}
