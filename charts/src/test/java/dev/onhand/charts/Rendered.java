package dev.onhand.charts;

import com.google.gson.JsonObject;
import io.kubernetes.client.openapi.JSON;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The objects one render produced. */
record Rendered(List<JsonObject> objects) {

  List<JsonObject> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.get("kind").getAsString())).toList();
  }

  <T> List<T> all(String kind, Class<T> type) {
    return ofKind(kind).stream().map(o -> JSON.getGson().fromJson(o, type)).toList();
  }

  <T> Optional<T> find(String kind, String name, Class<T> type) {
    return ofKind(kind).stream()
        .filter(o -> name.equals(o.getAsJsonObject("metadata").get("name").getAsString()))
        .findFirst()
        .map(o -> JSON.getGson().fromJson(o, type));
  }

  <T> T get(String kind, String name, Class<T> type) {
    return find(kind, name, type)
        .orElseThrow(() -> new NoSuchElementException(kind + " " + name + " was not rendered"));
  }

  /** kind/name of every object, sorted. */
  Set<String> names() {
    Set<String> names = new TreeSet<>();
    for (JsonObject o : objects) {
      names.add(
          o.get("kind").getAsString()
              + "/"
              + o.getAsJsonObject("metadata").get("name").getAsString());
    }
    return names;
  }
}
