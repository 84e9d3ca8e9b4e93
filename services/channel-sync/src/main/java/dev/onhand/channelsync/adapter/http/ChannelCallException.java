package dev.onhand.channelsync.adapter.http;

/**
 * A channel answered a read-back with an error, or kept throttling it past the adapter's own waits;
 * reconciliation must not take a failed read for "the channel holds nothing".
 */
public class ChannelCallException extends RuntimeException {

  private final int status;

  public ChannelCallException(String channel, int status, String answer) {
    super("channel " + channel + " answered " + status + ": " + ChannelHttp.excerpt(answer));
    this.status = status;
  }

  /** The HTTP status of the last answer (0 when there was none). */
  public int status() {
    return status;
  }
}
