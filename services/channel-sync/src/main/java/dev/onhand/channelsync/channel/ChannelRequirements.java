package dev.onhand.channelsync.channel;

import dev.onhand.channelsync.adapter.ChannelType;
import dev.onhand.platform.problem.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What each channel type needs besides the common fields: the settings its adapter reads (each with
 * the shape the channel's API gives it) and the credentials it signs or authenticates with. Other
 * settings and credentials are free, for an adapter's optional needs.
 */
final class ChannelRequirements {
  static final Pattern NAME = Pattern.compile("^[A-Za-z][A-Za-z0-9_.-]{0,63}$");
  private static final Pattern AMAZON_ID = Pattern.compile("^[A-Z0-9]{8,20}$");

  private record Setting(String name, Pattern shape, String message) {}

  private static final Map<ChannelType, List<Setting>> SETTINGS =
      Map.of(
          ChannelType.SHOPIFY,
          List.of(
              new Setting(
                  "shopifyLocationId",
                  Pattern.compile("^(gid://shopify/Location/)?[0-9]{1,20}$"),
                  "must be a Shopify location id (123 or gid://shopify/Location/123)")),
          ChannelType.AMAZON,
          List.of(
              new Setting("amazonSellerId", AMAZON_ID, "must be an Amazon seller id"),
              new Setting("amazonMarketplaceId", AMAZON_ID, "must be an Amazon marketplace id")),
          ChannelType.WALMART,
          List.of(
              new Setting(
                  "walmartShipNode",
                  Pattern.compile("^[A-Za-z0-9_-]{1,64}$"),
                  "must be a Walmart ship node id")),
          ChannelType.GENERIC_WEBHOOK,
          List.of());

  private static final Map<ChannelType, List<String>> CREDENTIALS =
      Map.of(
          // the bearer token each marketplace adapter calls its API with
          ChannelType.SHOPIFY, List.of("accessToken"),
          ChannelType.AMAZON, List.of("accessToken"),
          ChannelType.WALMART, List.of("accessToken"),
          // the HMAC-SHA256 key of X-Onhand-Signature
          ChannelType.GENERIC_WEBHOOK, List.of("secret"));

  private ChannelRequirements() {}

  /** Missing or misshapen settings of {@code type}. */
  static List<FieldError> settings(ChannelType type, Map<String, String> settings) {
    List<FieldError> errors = new ArrayList<>();
    for (Setting setting : SETTINGS.get(type)) {
      String value = settings.get(setting.name());
      if (value == null) {
        errors.add(
            new FieldError(
                "settings." + setting.name(),
                "MISSING_SETTING",
                "a " + type + " channel needs " + setting.name()));
      } else if (!setting.shape().matcher(value).matches()) {
        errors.add(
            new FieldError("settings." + setting.name(), "INVALID_SETTING", setting.message()));
      }
    }
    return errors;
  }

  /** Credentials {@code type} needs that are not named. */
  static List<FieldError> credentials(ChannelType type, Map<String, String> credentials) {
    List<FieldError> errors = new ArrayList<>();
    for (String name : CREDENTIALS.get(type)) {
      if (!credentials.containsKey(name)) {
        errors.add(
            new FieldError(
                "credentials." + name,
                "MISSING_CREDENTIAL",
                "a " + type + " channel needs the credential " + name));
      }
    }
    return errors;
  }
}
