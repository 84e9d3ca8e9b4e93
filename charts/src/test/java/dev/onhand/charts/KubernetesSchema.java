package dev.onhand.charts;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonSyntaxException;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;

/**
 * Validates an object against the Kubernetes API schema, through the official Java client's models
 * (generated from the API's OpenAPI document): an unknown field, a missing required field or a
 * value of the wrong type is refused, as the API server would refuse it.
 *
 * <p>The models' own {@code validateJsonElement} checks structure (unknown and required fields,
 * nested objects and lists). Types are checked by reading the object into its model with a Gson
 * whose scalars are strict: plain Gson would read {@code "yes"} as a boolean false, {@code "2"} as
 * an integer and {@code 8080} as a string, all of which the API server refuses.
 */
final class KubernetesSchema {

  private static final Gson STRICT =
      JSON.getGson()
          .newBuilder()
          .registerTypeAdapter(String.class, strict(JsonToken.STRING, JsonReader::nextString))
          .registerTypeAdapter(Boolean.class, strict(JsonToken.BOOLEAN, JsonReader::nextBoolean))
          .registerTypeAdapter(boolean.class, strict(JsonToken.BOOLEAN, JsonReader::nextBoolean))
          .registerTypeAdapter(Integer.class, strict(JsonToken.NUMBER, JsonReader::nextInt))
          .registerTypeAdapter(int.class, strict(JsonToken.NUMBER, JsonReader::nextInt))
          .registerTypeAdapter(Long.class, strict(JsonToken.NUMBER, JsonReader::nextLong))
          .registerTypeAdapter(long.class, strict(JsonToken.NUMBER, JsonReader::nextLong))
          .registerTypeAdapter(Double.class, strict(JsonToken.NUMBER, JsonReader::nextDouble))
          .registerTypeAdapter(double.class, strict(JsonToken.NUMBER, JsonReader::nextDouble))
          .create();

  private interface Read<T> {
    T from(JsonReader reader) throws IOException;
  }

  private static <T> TypeAdapter<T> strict(JsonToken expected, Read<T> read) {
    return new TypeAdapter<>() {
      @Override
      public T read(JsonReader in) throws IOException {
        if (in.peek() == JsonToken.NULL) {
          in.nextNull();
          return null;
        }
        if (in.peek() != expected) {
          throw new JsonSyntaxException(
              "expected " + expected + " at " + in.getPath() + " but found " + in.peek());
        }
        return read.from(in);
      }

      @Override
      public void write(JsonWriter out, T value) {
        throw new UnsupportedOperationException("read only");
      }
    };
  }

  /** apiVersion/kind the chart may render, and the model of each. */
  static final Map<String, Class<?>> MODELS =
      Map.ofEntries(
          Map.entry("apps/v1/Deployment", V1Deployment.class),
          Map.entry("apps/v1/StatefulSet", V1StatefulSet.class),
          Map.entry("v1/Service", V1Service.class),
          Map.entry("v1/ConfigMap", V1ConfigMap.class),
          Map.entry("v1/Secret", V1Secret.class),
          Map.entry("v1/ServiceAccount", V1ServiceAccount.class),
          Map.entry("rbac.authorization.k8s.io/v1/Role", V1Role.class),
          Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", V1RoleBinding.class),
          Map.entry("policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class),
          Map.entry("autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class),
          Map.entry("networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class),
          Map.entry("networking.k8s.io/v1/Ingress", V1Ingress.class));

  /** Throws {@link InvalidObject} naming the object and what is wrong with it. */
  static void validate(JsonObject object) {
    String id = describe(object);
    String apiVersion = text(object, "apiVersion");
    String kind = text(object, "kind");
    Class<?> model = MODELS.get(apiVersion + "/" + kind);
    if (model == null) {
      throw new InvalidObject(id + ": no schema known for " + apiVersion + " " + kind);
    }
    try {
      // structure: unknown fields, required fields, nested objects and lists
      model.getMethod("validateJsonElement", JsonElement.class).invoke(null, object);
      // types: strings, numbers, booleans, quantities, int-or-string
      STRICT.fromJson(object, model);
    } catch (InvocationTargetException e) {
      throw new InvalidObject(id + ": " + e.getCause().getMessage(), e.getCause());
    } catch (RuntimeException e) {
      throw new InvalidObject(id + ": " + e.getMessage(), e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  static String describe(JsonObject object) {
    JsonObject metadata = object.getAsJsonObject("metadata");
    String name = metadata == null ? "?" : text(metadata, "name");
    return text(object, "kind") + "/" + name;
  }

  private static String text(JsonObject object, String field) {
    JsonElement value = object.get(field);
    return value == null || !value.isJsonPrimitive() ? "?" : value.getAsString();
  }

  static final class InvalidObject extends RuntimeException {
    InvalidObject(String message) {
      super(message);
    }

    InvalidObject(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private KubernetesSchema() {}
}
