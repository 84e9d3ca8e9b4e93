package dev.onhand.stock.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onhand.platform.testing.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** Reads the stock database directly (plain JDBC), to check what the API cannot show. */
public final class Db {
  private static final String[] COLUMNS = {
    "available", "committed", "reserved", "safety_stock", "quality_control", "damaged", "incoming"
  };
  private static final String[] STATES = {
    "available", "committed", "reserved", "safetyStock", "qualityControl", "damaged", "incoming"
  };

  private Db() {}

  public static Connection connect() throws SQLException {
    return Jdbc.ofApplication().connect();
  }

  public static long scalar(String sql, Object... args) {
    return Jdbc.ofApplication().scalar(sql, args);
  }

  public static void execute(String sql, Object... args) throws SQLException {
    Jdbc.ofApplication().execute(sql, args);
  }

  public static long ledgerEntries(String sku) {
    return scalar("SELECT count(*) FROM ledger WHERE sku = ?", sku);
  }

  /** Every bucket of (sku, location), by state code. */
  public static Map<String, Long> balance(String sku, String location) {
    Map<String, Long> balance = new HashMap<>();
    try (Connection c = connect();
        PreparedStatement s =
            c.prepareStatement("SELECT * FROM balance WHERE sku = ? AND location = ?")) {
      s.setString(1, sku);
      s.setString(2, location);
      try (ResultSet rs = s.executeQuery()) {
        if (rs.next()) {
          for (int i = 0; i < COLUMNS.length; i++) {
            balance.put(STATES[i], rs.getLong(COLUMNS[i]));
          }
          balance.put("sequence", rs.getLong("sequence"));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return balance;
  }

  /**
   * The ledger invariants for every balance of a SKU: each bucket equals the sum of its entries,
   * none is negative, each entry's balanceAfter is the running sum, and the sequence runs 1..n
   * without a gap and ends at the balance's sequence.
   */
  public static void assertLedgerMatchesBalances(String sku) {
    try (Connection c = connect()) {
      try (PreparedStatement s =
          c.prepareStatement("SELECT * FROM balance WHERE sku = ? ORDER BY location")) {
        s.setString(1, sku);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            String location = rs.getString("location");
            for (int i = 0; i < COLUMNS.length; i++) {
              long balance = rs.getLong(COLUMNS[i]);
              assertThat(balance).as("%s@%s %s", sku, location, STATES[i]).isNotNegative();
              long sum =
                  scalar(
                      "SELECT coalesce(sum(delta), 0) FROM ledger WHERE sku = ? AND location = ?"
                          + " AND state = ?",
                      sku,
                      location,
                      STATES[i]);
              assertThat(sum)
                  .as("ledger sum of %s@%s %s equals its balance", sku, location, STATES[i])
                  .isEqualTo(balance);
            }
            long sequence = rs.getLong("sequence");
            long entries =
                scalar("SELECT count(*) FROM ledger WHERE sku = ? AND location = ?", sku, location);
            long maxSequence =
                scalar(
                    "SELECT coalesce(max(sequence), 0) FROM ledger WHERE sku = ? AND location = ?",
                    sku,
                    location);
            assertThat(entries).as("one entry per sequence number").isEqualTo(sequence);
            assertThat(maxSequence).as("last sequence is the balance's").isEqualTo(sequence);
            long broken =
                scalar(
                    "SELECT count(*) FROM (SELECT balance_after, sum(delta) OVER (PARTITION BY"
                        + " state ORDER BY sequence) AS running FROM ledger WHERE sku = ? AND"
                        + " location = ?) t WHERE balance_after <> running",
                    sku,
                    location);
            assertThat(broken).as("every balanceAfter is the running sum").isZero();
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
