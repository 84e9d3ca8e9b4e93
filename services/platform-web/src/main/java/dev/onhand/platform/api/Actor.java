package dev.onhand.platform.api;

/**
 * Who made a change, for the ledger and audit: the gateway passes the authenticated principal in
 * {@code X-Actor}; without it the change is attributed to {@code api}.
 */
public final class Actor {
  public static final String HEADER = "X-Actor";

  private Actor() {}

  public static String of(String header) {
    if (header == null || header.isBlank()) {
      return "api";
    }
    String trimmed = header.strip();
    return trimmed.length() > 100 ? trimmed.substring(0, 100) : trimmed;
  }
}
