package dev.onhand.channelsync.support;

import dev.onhand.channelsync.adapter.ChannelTarget;
import dev.onhand.channelsync.adapter.ChannelType;
import dev.onhand.channelsync.stub.MarketplaceStub;

/** Channel targets pointing at a marketplace stub (the stubs know nothing of channel-sync). */
public final class StubTargets {
  private StubTargets() {}

  /** A channel {@code code} pointing at the stub with the settings and token it accepts. */
  public static ChannelTarget target(MarketplaceStub stub, String code) {
    return new ChannelTarget(
        code,
        ChannelType.valueOf(stub.channelType()),
        stub.url(),
        stub.credentials(),
        stub.settings());
  }
}
