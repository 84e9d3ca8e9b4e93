package dev.onhand.platform.tx;

/**
 * Thrown by work that read a row without locking it, planned from it, and found when it wrote that
 * the row had changed in a way the plan cannot stand (e.g. fewer free units than planned). The
 * transaction is rolled back and run again from the start ({@link Transactions}), which reads the
 * row anew; work may take the lock up front on a later attempt ({@link UnitOfWork#attempt()}).
 */
public final class StaleRead extends RuntimeException {
  public StaleRead(String message) {
    super(message, null, false, false);
  }
}
