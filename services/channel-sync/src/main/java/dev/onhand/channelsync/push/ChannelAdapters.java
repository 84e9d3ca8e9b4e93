package dev.onhand.channelsync.push;

import dev.onhand.channelsync.adapter.ChannelAdapter;
import dev.onhand.channelsync.adapter.ChannelType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * Every {@link ChannelAdapter} bean, by the channel type it speaks. A channel whose type has no
 * adapter in this build is not pushed to (its quantities wait, pending); two adapters for one type
 * fail the start.
 */
@ApplicationScoped
public class ChannelAdapters {
  private final Map<ChannelType, ChannelAdapter> byType = new EnumMap<>(ChannelType.class);

  public ChannelAdapters(@Any Instance<ChannelAdapter> adapters) {
    for (ChannelAdapter adapter : adapters) {
      ChannelAdapter other = byType.put(adapter.type(), adapter);
      if (other != null) {
        throw new IllegalStateException(
            "two adapters for "
                + adapter.type()
                + ": "
                + other.getClass().getName()
                + " and "
                + adapter.getClass().getName());
      }
    }
  }

  public ChannelAdapter of(ChannelType type) {
    return byType.get(type);
  }

  public Set<ChannelType> types() {
    return byType.keySet();
  }
}
