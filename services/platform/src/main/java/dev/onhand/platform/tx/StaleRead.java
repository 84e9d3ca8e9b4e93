package dev.onhand.platform.tx;

/**
 * Thrown by work that read rows without locking them, planned from them, and found when it locked
 * them later that they had changed so the plan no longer holds (e.g. fewer free units). The
 * transaction is rolled back and run again from the start ({@link Transactions}), which reads the
 * row anew; work may take the lock up front on a later attempt ({@link UnitOfWork#attempt()}).
 */
public final class StaleRead extends RuntimeException {
  public StaleRead(String message) {
    super(message, null, false, false);
  }
}
