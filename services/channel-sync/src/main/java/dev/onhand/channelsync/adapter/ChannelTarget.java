package dev.onhand.channelsync.adapter;

import java.net.URI;
import java.util.Map;

/**
 * Where and how to reach one channel, as an adapter needs it: the API's base URL, the resolved
 * credentials (never stored in the database in clear; resolved from a Secret or the environment
 * just before use) and the channel's own identifiers (Shopify location id, Amazon seller and
 * marketplace ids, Walmart ship node...) in {@code settings}.
 */
public record ChannelTarget(
    String code,
    ChannelType type,
    URI endpoint,
    Map<String, String> credentials,
    Map<String, String> settings) {

  public String setting(String name) {
    String value = settings.get(name);
    if (value == null) {
      throw new IllegalStateException("channel " + code + " has no setting " + name);
    }
    return value;
  }

  public String credential(String name) {
    String value = credentials.get(name);
    if (value == null) {
      throw new IllegalStateException("channel " + code + " has no credential " + name);
    }
    return value;
  }
}
