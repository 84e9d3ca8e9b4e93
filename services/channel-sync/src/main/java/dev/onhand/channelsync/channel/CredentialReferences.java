package dev.onhand.channelsync.channel;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Channel credentials are stored as references, never as values, and resolved just before a push:
 *
 * <ul>
 *   <li>{@code env:ONHAND_CHANNEL_<NAME>}: an environment variable (or configuration value) of that
 *       name. Only names under {@code ONHAND_CHANNEL_} may be named, so a channel cannot be pointed
 *       at the service's own database or broker password.
 *   <li>{@code secret:<name>/<key>}: the file {@code <secrets-dir>/<name>/<key>}, where the Helm
 *       chart mounts a Kubernetes Secret's key (a trailing newline is dropped).
 * </ul>
 */
@ApplicationScoped
public class CredentialReferences {
  static final Pattern ENV = Pattern.compile("^env:(ONHAND_CHANNEL_[A-Z0-9_]{1,100})$");
  // a Kubernetes Secret's name (no dots, so no path tricks) and one of its keys
  static final Pattern SECRET =
      Pattern.compile("^secret:([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)/([-._a-zA-Z0-9]{1,253})$");
  static final String FORMS = "env:ONHAND_CHANNEL_<NAME> or secret:<secret-name>/<key>";

  private final Config config;
  private final Path secretsDir;

  public CredentialReferences(
      Config config,
      @ConfigProperty(
              name = "onhand.channel-sync.secrets-dir",
              defaultValue = "/etc/onhand/channel-secrets")
          Path secretsDir) {
    this.config = config;
    this.secretsDir = secretsDir;
  }

  /** Whether {@code reference} has one of the accepted forms. */
  public static boolean valid(String reference) {
    if (reference == null) {
      return false;
    }
    if (ENV.matcher(reference).matches()) {
      return true;
    }
    Matcher secret = SECRET.matcher(reference);
    return secret.matches() && !secret.group(3).equals(".") && !secret.group(3).equals("..");
  }

  /** A credential that cannot be read now (unset variable, Secret not mounted). */
  public static class Unavailable extends RuntimeException {
    Unavailable(String message) {
      super(message, null, false, false);
    }
  }

  /** The values of a channel's credentials, by name; fails with {@link Unavailable}. */
  public Map<String, String> resolve(String channel, Map<String, String> references) {
    Map<String, String> values = new LinkedHashMap<>();
    references.forEach((name, reference) -> values.put(name, resolve(channel, name, reference)));
    return values;
  }

  private String resolve(String channel, String name, String reference) {
    Matcher env = ENV.matcher(reference);
    if (env.matches()) {
      Optional<String> value = config.getOptionalValue(env.group(1), String.class);
      return value
          .filter(v -> !v.isEmpty())
          .orElseThrow(
              () ->
                  new Unavailable(
                      "credential "
                          + name
                          + " of channel "
                          + channel
                          + ": "
                          + reference
                          + " is unset"));
    }
    Matcher secret = SECRET.matcher(reference);
    if (!valid(reference) || !secret.matches()) {
      throw new Unavailable(
          "credential " + name + " of channel " + channel + " is not a reference (" + FORMS + ")");
    }
    Path file = secretsDir.resolve(secret.group(1)).resolve(secret.group(3));
    try {
      String value = Files.readString(file, StandardCharsets.UTF_8);
      value = value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
      if (value.isEmpty()) {
        throw new Unavailable(
            "credential " + name + " of channel " + channel + ": " + reference + " is empty");
      }
      return value;
    } catch (IOException e) {
      throw new Unavailable(
          "credential " + name + " of channel " + channel + ": " + reference + " is not mounted");
    }
  }
}
