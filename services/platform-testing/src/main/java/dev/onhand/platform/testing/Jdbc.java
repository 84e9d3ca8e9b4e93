package dev.onhand.platform.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Reads a service's database directly (plain JDBC), to check what its API cannot show. Connects to
 * the database of the application under test unless given another URL.
 */
public final class Jdbc {
  private final String url;
  private final String user;
  private final String password;

  private Jdbc(String url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password;
  }

  /** The database of the Quarkus application under test. */
  public static Jdbc ofApplication() {
    var config = ConfigProvider.getConfig();
    return new Jdbc(
        config.getValue("quarkus.datasource.jdbc.url", String.class),
        config.getOptionalValue("quarkus.datasource.username", String.class).orElse("postgres"),
        config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
  }

  /**
   * A database on the local server (ONHAND_DB_HOST, ONHAND_DB_PORT, ONHAND_DB_USER), outside
   * Quarkus.
   */
  public static Jdbc local(String database) {
    var env = System.getenv();
    return new Jdbc(
        "jdbc:postgresql://"
            + env.getOrDefault("ONHAND_DB_HOST", "127.0.0.1")
            + ":"
            + env.getOrDefault("ONHAND_DB_PORT", "5432")
            + "/"
            + database,
        env.getOrDefault("ONHAND_DB_USER", "postgres"),
        env.getOrDefault("ONHAND_DB_PASSWORD", ""));
  }

  /** Another database on the same server, e.g. the one a service started by a test uses. */
  public Jdbc database(String name) {
    return new Jdbc(url.substring(0, url.lastIndexOf('/') + 1) + name, user, password);
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }

  /** The first column of the first row, as a long (0 when null). */
  public long scalar(String sql, Object... args) {
    try (Connection c = connect();
        PreparedStatement s = prepare(c, sql, args);
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The first column of the first row as text, or null when there is no row. */
  public String text(String sql, Object... args) {
    try (Connection c = connect();
        PreparedStatement s = prepare(c, sql, args);
        ResultSet rs = s.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs a statement; the database's refusal comes back as it is (e.g. a broken constraint). */
  public void execute(String sql, Object... args) throws SQLException {
    try (Connection c = connect();
        PreparedStatement s = prepare(c, sql, args)) {
      s.execute();
    }
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... args)
      throws SQLException {
    PreparedStatement s = c.prepareStatement(sql);
    for (int i = 0; i < args.length; i++) {
      s.setObject(i + 1, args[i]);
    }
    return s;
  }
}
