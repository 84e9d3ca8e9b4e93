package dev.onhand.platform.api;

/**
 * The shape of SKUs, location codes and document numbers: safe in URLs, message subjects and logs.
 */
public final class Identifiers {
  public static final String PATTERN = "^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$";
  public static final String MESSAGE =
      "must be 1 to 64 letters, digits, '.', '_', ':' or '-', starting with a letter or digit";
  public static final long MAX_QUANTITY = 1_000_000_000L;

  /** A resource id in a path (orders, purchase orders, returns are UUIDs). */
  public static final String UUID_PATTERN =
      "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

  private Identifiers() {}
}
